package io.roomcast.topic;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Carries publications between the nodes that have clients in a topic.
 *
 * <p>Every subscriber of a topic, on every node, receives its publications in one order.
 */
public interface TopicBus {

  /**
   * Publishes to a topic without blocking. The stage completes with the publication's sequence
   * once it is stored in the topic, and fails when it could not be. Two publishes from one thread
   * keep their order.
   */
  CompletionStage<Long> publish(String topic, Publication publication);

  /**
   * Publishes several publications as one operation, stored in list order with consecutive
   * sequences. The stage completes with the sequence of the last one.
   */
  CompletionStage<Long> publishAll(String topic, List<Publication> publications);

  /**
   * Starts delivering the topic's publications to the listener, from {@code fromSequence} on, or
   * from the next one stored when it is {@link #NEXT}. This call may block on the cluster, so never
   * call it on an event loop. The returned subscription receives every publication stored after
   * this call returns.
   */
  TopicSubscription subscribe(String topic, long fromSequence, TopicListener listener);

  /** {@code fromSequence} of a subscription that starts at the next publication. */
  long NEXT = -1;

  /**
   * Returns the topic's epoch and the range of sequences it still stores, creating the epoch when
   * the topic has none. This call may block on the cluster.
   */
  TopicPosition position(String topic);

  /**
   * Returns the topic's position like {@link #position}, or empty when the topic has no history
   * yet; unlike {@link #position} it creates nothing. This call may block on the cluster.
   */
  Optional<TopicPosition> peekPosition(String topic);

  /**
   * Returns up to {@code maxCount} stored publications from {@code fromSequence} on, fewer when the
   * topic stores fewer. {@code fromSequence} must lie between the head and the tail plus one. This
   * call may block on the cluster.
   */
  List<StoredPublication> read(String topic, long fromSequence, int maxCount);

  /**
   * Position of a topic's history.
   *
   * @param epoch id of the topic's history; it changes whenever the history is lost and starts
   *     again, so sequences of two epochs are unrelated
   * @param headSequence oldest stored sequence
   * @param tailSequence newest stored sequence, {@code headSequence - 1} when nothing is stored
   * @param owner address of the member that stores the topic's history
   */
  record TopicPosition(String epoch, long headSequence, long tailSequence, String owner) {
  }

  /** A publication read back from a topic's history. */
  record StoredPublication(long sequence, Publication publication) {
  }

  /** A registered listener; closing it stops delivery. */
  interface TopicSubscription extends AutoCloseable {

    @Override
    void close();
  }
}
