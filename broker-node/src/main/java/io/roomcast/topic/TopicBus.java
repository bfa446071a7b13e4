package io.roomcast.topic;

import java.util.concurrent.CompletionStage;

/**
 * Carries publications between the nodes that have clients in a topic.
 *
 * <p>Every subscriber of a topic, on every node, receives its publications in one order.
 */
public interface TopicBus {

  /**
   * Publishes to a topic without blocking. The stage completes with the publication's sequence
   * once it is stored in the topic, and fails when it could not be; the order of two publishes
   * from one thread is kept.
   */
  CompletionStage<Long> publish(String topic, Publication publication);

  /**
   * Starts delivering the topic's later publications to the listener. This call may block on the
   * cluster, so never call it on an event loop. The returned subscription receives every
   * publication stored after this call returns.
   */
  TopicSubscription subscribe(String topic, TopicListener listener);

  /** A registered listener; closing it stops delivery. */
  interface TopicSubscription extends AutoCloseable {

    @Override
    void close();
  }
}
