package io.roomcast.http;

import io.roomcast.metrics.BrokerMetrics;
import io.roomcast.metrics.ClientError;
import io.roomcast.session.ResumeRequest;
import io.roomcast.session.WebSocketSessions;
import io.roomcast.topic.ChannelRules;
import io.roomcast.topic.RoomTopics;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /ws/channel/<id>}: checks the channel id and the messaging channels, then upgrades
 * to a WebSocket in the id's room. Every refusal happens before the upgrade, as an HTTP status
 * with a JSON body.
 *
 * <p>It takes the request before the router does, because the session writes to the connection's
 * Netty channel and needs Vert.x core's own WebSocket rather than Vert.x Web's wrapper.
 */
final class WebSocketUpgrades {

  private static final Logger LOG = LoggerFactory.getLogger(WebSocketUpgrades.class);

  private final WebSocketSessions sessions;
  private final ChannelRules channels;
  private final NodeStatus status;
  private final BrokerMetrics metrics;

  WebSocketUpgrades(WebSocketSessions sessions, ChannelRules channels, NodeStatus status,
      BrokerMetrics metrics) {
    this.sessions = sessions;
    this.channels = channels;
    this.status = status;
    this.metrics = metrics;
  }

  /** Returns whether the request is for a WebSocket path, which this class then handles. */
  static boolean isWebSocketPath(HttpServerRequest request) {
    return request.path().startsWith(RoomTopics.WEBSOCKET_PATH_PREFIX);
  }

  void handle(HttpServerRequest request) {
    String channelId = request.path().substring(RoomTopics.WEBSOCKET_PATH_PREFIX.length());
    Optional<String> topic = RoomTopics.topicOfChannelId(channelId);
    if (topic.isEmpty()) {
      reject(request, ClientError.NOT_FOUND, "invalid channel id '" + channelId
          + "': expected 64 lowercase hex digits, the SHA-256 of the room name");
      return;
    }
    if (!channels.allowsWebSocket(topic.get())) {
      reject(request, ClientError.NOT_FOUND, "no WebSocket-enabled messaging channel matches topic " + topic.get());
      return;
    }
    if (request.method() != HttpMethod.GET) {
      reject(request, ClientError.METHOD_NOT_ALLOWED, "method " + request.method() + " not allowed on " + request.path());
      return;
    }
    if (!request.canUpgradeToWebSocket()) {
      reject(request, ClientError.UPGRADE_REQUIRED, "WebSocket upgrade required on " + request.path());
      return;
    }
    ResumeRequest resume;
    try {
      resume = parseResume(request);
    } catch (IllegalArgumentException e) {
      reject(request, ClientError.INVALID_RESUME, e.getMessage());
      return;
    }
    if (!status.isReady()) {
      reject(request, ClientError.NOT_READY, "node not ready: " + status.notReadyReason());
      return;
    }

    // The handshake waits until this node listens to the topic. Meanwhile the request is paused,
    // so its end is still ahead when the upgrade starts.
    request.pause();
    sessions.join(topic.get(), resume, () -> upgrade(request)).onFailure(failure -> {
      LOG.warn("Topic {}: WebSocket join from {} failed", topic.get(), request.remoteAddress(), failure);
      if (!request.response().headWritten()) {
        reject(request, ClientError.NOT_READY, "failed to join topic " + topic.get() + ": " + failure.getMessage());
      }
    });
  }

  /**
   * Returns the resume request of {@code ?since=<seq>&epoch=<epoch>}, or null without {@code since};
   * throws {@link IllegalArgumentException} with the reason when the parameters are invalid.
   */
  static ResumeRequest parseResume(HttpServerRequest request) {
    String since = request.getParam("since");
    String epoch = request.getParam("epoch");
    if (since == null) {
      if (epoch != null) {
        throw new IllegalArgumentException("epoch parameter given without since");
      }
      return null;
    }
    String protocols = request.getHeader("Sec-WebSocket-Protocol");
    if (protocols == null || !Arrays.asList(protocols.split("\\s*,\\s*")).contains(WebSocketSessions.SEQUENCED_SUBPROTOCOL)) {
      throw new IllegalArgumentException("since requires the " + WebSocketSessions.SEQUENCED_SUBPROTOCOL + " subprotocol");
    }
    long sequence;
    try {
      sequence = Long.parseLong(since);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid since '" + since + "': expected a sequence number");
    }
    if (sequence < -1) {
      throw new IllegalArgumentException("invalid since '" + since + "': expected -1 or more");
    }
    if (epoch == null || epoch.isEmpty()) {
      throw new IllegalArgumentException("epoch parameter required with since");
    }
    return new ResumeRequest(sequence, epoch);
  }

  private static Future<ServerWebSocket> upgrade(HttpServerRequest request) {
    Future<ServerWebSocket> upgraded = request.toWebSocket();
    request.resume();
    return upgraded;
  }

  private void reject(HttpServerRequest request, ClientError error, String message) {
    metrics.clientError(error);
    request.response()
        .setStatusCode(error.code())
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("error", message).encode());
  }
}
