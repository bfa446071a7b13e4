package io.roomcast.session;

import io.roomcast.config.BrokerSettings;
import io.roomcast.metrics.BrokerMetrics;
import io.roomcast.topic.TopicBus;
import io.vertx.core.Vertx;

/**
 * Services shared by every session of a node.
 *
 * @param nodeId random id of this node, written into its publications so that the sender is
 *     skipped on delivery
 */
record SessionServices(Vertx vertx, TopicBus bus, BrokerSettings settings, BrokerMetrics metrics, long nodeId) {
}
