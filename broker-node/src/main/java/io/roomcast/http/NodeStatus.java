package io.roomcast.http;

import io.vertx.core.json.JsonObject;

/** Node state for the HTTP API: readiness for load balancers and a status document. */
public interface NodeStatus {

  /** Returns whether the node has joined its cluster and is not draining. */
  boolean isReady();

  /** Returns a short reason when the node is not ready, such as {@code draining}. */
  String notReadyReason();

  /** Returns the node's status document for {@code GET /api/status}. */
  JsonObject toJson();
}
