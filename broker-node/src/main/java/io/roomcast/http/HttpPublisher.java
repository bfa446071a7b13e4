package io.roomcast.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.util.CharsetUtil;
import io.roomcast.metrics.BrokerMetrics;
import io.roomcast.metrics.ClientError;
import io.roomcast.topic.ChannelRules;
import io.roomcast.topic.PayloadKind;
import io.roomcast.topic.Publication;
import io.roomcast.topic.RoomTopics;
import io.roomcast.topic.TopicBus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/publish?room=R}: publishes the request body to the room, as server-side code
 * does. A {@code text/*} body is delivered as a text frame, any other as binary. Responds 202 once
 * the cluster stored the publication.
 */
final class HttpPublisher {

  private static final Logger LOG = LoggerFactory.getLogger(HttpPublisher.class);

  private final Vertx vertx;
  private final TopicBus bus;
  private final ChannelRules channels;
  private final BrokerMetrics metrics;
  private final ApiResponses responses;
  private final long nodeId;

  HttpPublisher(Vertx vertx, TopicBus bus, ChannelRules channels, BrokerMetrics metrics,
      ApiResponses responses, long nodeId) {
    this.vertx = vertx;
    this.bus = bus;
    this.channels = channels;
    this.metrics = metrics;
    this.responses = responses;
    this.nodeId = nodeId;
  }

  void handlePublish(RoutingContext ctx) {
    String room = ctx.request().getParam("room");
    if (room == null || room.isEmpty()) {
      responses.error(ctx, ClientError.ROOM_MISSING, "room parameter required");
      return;
    }
    String topic = RoomTopics.topicOfRoom(room);
    if (channels.channelOf(topic).isEmpty()) {
      responses.error(ctx, ClientError.NOT_FOUND, "no messaging channel matches topic " + topic);
      return;
    }

    Buffer body = ctx.body().buffer() != null ? ctx.body().buffer() : Buffer.buffer();
    PayloadKind kind = isText(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE)) ? PayloadKind.TEXT : PayloadKind.BINARY;
    if (kind == PayloadKind.TEXT && !ByteBufUtil.isText(((BufferInternal) body).getByteBuf(), CharsetUtil.UTF_8)) {
      responses.error(ctx, ClientError.INVALID_BODY, "invalid UTF-8 in text body; send binary data as application/octet-stream");
      return;
    }
    Publication publication = Publication.of(kind, nodeId, Publication.NO_CONNECTION,
        ((BufferInternal) body).getByteBuf().nioBuffer());

    // The first publish to a topic on this node may wait for the cluster to create its proxy.
    vertx.executeBlocking(() -> bus.publish(topic, publication), false)
        .compose(Future::fromCompletionStage)
        .onSuccess(sequence -> {
          metrics.publicationAccepted(false);
          responses.json(ctx, 202, new JsonObject()
              .put("topic", topic)
              .put("seq", sequence)
              .put("type", kind.name().toLowerCase())
              .put("bytes", publication.payloadLength()));
        })
        .onFailure(failure -> {
          LOG.warn("Topic {}: HTTP publish failed", topic, failure);
          responses.error(ctx, ClientError.NOT_READY, "publish failed: " + failure.getMessage());
        });
  }

  private static boolean isText(String contentType) {
    return contentType != null && contentType.regionMatches(true, 0, "text/", 0, 5);
  }
}
