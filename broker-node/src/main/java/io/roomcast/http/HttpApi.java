package io.roomcast.http;

import io.roomcast.config.BrokerSettings;
import io.roomcast.metrics.BrokerMetrics;
import io.roomcast.metrics.ClientError;
import io.roomcast.session.WebSocketSessions;
import io.roomcast.topic.ChannelRules;
import io.roomcast.topic.RoomTopics;
import io.roomcast.topic.TopicBus;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP routes. Every client error gets its status and a JSON body
 * {@code {"error": "..."}}, and counted.
 */
public final class HttpApi {

  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

  private final Vertx vertx;
  private final WebSocketSessions sessions;
  private final BrokerMetrics metrics;
  private final NodeStatus status;
  private final ChannelRules channels;
  private final HttpPublisher publisher;
  private final BrokerSettings settings;
  private final ApiResponses responses;
  private final TopicBus bus;
  private final WebSocketUpgrades upgrades;

  public HttpApi(Vertx vertx, WebSocketSessions sessions, TopicBus bus, ChannelRules channels,
      BrokerSettings settings, BrokerMetrics metrics, NodeStatus status) {
    this.vertx = vertx;
    this.sessions = sessions;
    this.metrics = metrics;
    this.status = status;
    this.channels = channels;
    this.settings = settings;
    this.responses = new ApiResponses(metrics);
    this.bus = bus;
    this.upgrades = new WebSocketUpgrades(sessions, channels, status, metrics);
    this.publisher = new HttpPublisher(vertx, bus, channels, metrics, responses, sessions.nodeId());
  }

  /** Returns the handler for every request of the HTTP server. */
  public Handler<HttpServerRequest> requestHandler() {
    Router router = router();
    return request -> {
      if (WebSocketUpgrades.isWebSocketPath(request)) {
        upgrades.handle(request);
      } else {
        router.handle(request);
      }
    };
  }

  private Router router() {
    Router router = Router.router(vertx);

    router.get("/api/ws").handler(this::handleWebSocketUrl);
    router.post("/api/publish")
        .handler(BodyHandler.create(false).setBodyLimit(settings.maxMessageBytes()))
        .handler(publisher::handlePublish);
    router.get("/health").handler(ctx -> responses.json(ctx, 200, new JsonObject().put("status", "up")));
    router.get("/ready").handler(this::handleReady);
    router.get("/api/history").handler(this::handleHistory);
    router.get("/api/status").handler(ctx -> responses.json(ctx, 200, status.toJson()));
    router.get("/metrics").handler(this::handleMetrics);

    // The browser chat client: plain files, no build step.
    router.getWithRegex("/|/[A-Za-z0-9_-]+\\.(html|js|css|png|svg|ico)")
        .handler(StaticHandler.create("webroot").setIndexPage("index.html").setCachingEnabled(false));

    router.errorHandler(404, ctx -> responses.error(ctx, ClientError.NOT_FOUND, "not found: " + ctx.request().path()));
    router.errorHandler(405, ctx -> responses.error(ctx, ClientError.METHOD_NOT_ALLOWED,
        "method " + ctx.request().method() + " not allowed on " + ctx.request().path()));
    router.errorHandler(413, ctx -> responses.error(ctx, ClientError.BODY_TOO_LARGE,
        "body too large: limit is " + settings.maxMessageBytes() + " bytes"));
    router.errorHandler(500, this::handleFailure);
    return router;
  }

  private void handleWebSocketUrl(RoutingContext ctx) {
    String room = ctx.request().getParam("room");
    if (room == null || room.isEmpty()) {
      responses.error(ctx, ClientError.ROOM_MISSING, "room parameter required");
      return;
    }
    ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
        .end(RoomTopics.webSocketPath(room));
  }

  /**
   * {@code GET /api/history?room=R}: the epoch and the stored sequences of a room's topic, with a
   * null epoch for a room without history. It creates nothing, so any room name costs nothing.
   */
  private void handleHistory(RoutingContext ctx) {
    String room = ctx.request().getParam("room");
    if (room == null || room.isEmpty()) {
      responses.error(ctx, ClientError.ROOM_MISSING, "room parameter required");
      return;
    }
    String topic = RoomTopics.topicOfRoom(room);
    vertx.executeBlocking(() -> bus.peekPosition(topic), false)
        .onSuccess(position -> responses.json(ctx, 200, position
            .map(found -> new JsonObject()
                .put("topic", topic)
                .put("epoch", found.epoch())
                .put("headSeq", found.headSequence())
                .put("tailSeq", found.tailSequence())
                .put("owner", found.owner()))
            .orElseGet(() -> new JsonObject()
                .put("topic", topic)
                .putNull("epoch")
                .put("headSeq", 0)
                .put("tailSeq", -1)
                .putNull("owner"))))
        .onFailure(failure -> {
          LOG.warn("Topic {}: failed to read history position", topic, failure);
          responses.error(ctx, ClientError.NOT_READY, "failed to read history of " + topic + ": " + failure.getMessage());
        });
  }

  private void handleReady(RoutingContext ctx) {
    if (status.isReady()) {
      responses.json(ctx, 200, new JsonObject().put("status", "ready"));
    } else {
      responses.json(ctx, 503, new JsonObject().put("status", status.notReadyReason()));
    }
  }

  private void handleMetrics(RoutingContext ctx) {
    ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
        .end(metrics.scrape());
  }

  private void handleFailure(RoutingContext ctx) {
    LOG.error("HTTP {} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
    responses.json(ctx, 500, new JsonObject().put("error", "internal error"));
  }
}
