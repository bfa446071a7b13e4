package io.roomcast.http;

import io.roomcast.metrics.BrokerMetrics;
import io.roomcast.metrics.ClientError;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Writes JSON responses, and counts each client error it sends. */
final class ApiResponses {

  private final BrokerMetrics metrics;

  ApiResponses(BrokerMetrics metrics) {
    this.metrics = metrics;
  }

  /** Sends {@code {"error": message}} with the error's status. */
  void error(RoutingContext ctx, ClientError error, String message) {
    metrics.clientError(error);
    json(ctx, error.code(), new JsonObject().put("error", message));
  }

  void json(RoutingContext ctx, int status, JsonObject body) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(body.encode());
  }
}
