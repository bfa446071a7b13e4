package io.roomcast.topic;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link TopicBus} that keeps every publication inside this node, with no cluster hop.
 *
 * <p>Only for benchmarks: it measures the ceiling that clustered fan-out is compared against.
 * Clients on other nodes receive nothing, and nothing is kept for resuming. Each topic has its own
 * sequence; one publish at a time per topic runs on the calling thread's order, and listeners are
 * called on {@code executor}, one task per topic at a time.
 */
public final class InNodeTopicBus implements TopicBus {

  private static final String IN_NODE_EPOCH = "in-node";

  private final Map<String, LocalTopic> topics = new ConcurrentHashMap<>();

  @Override
  public CompletionStage<Long> publish(String topic, Publication publication) {
    long sequence = topics.computeIfAbsent(topic, name -> new LocalTopic()).publish(publication);
    return CompletableFuture.completedFuture(sequence);
  }

  @Override
  public CompletionStage<Long> publishAll(String topic, List<Publication> publications) {
    LocalTopic local = topics.computeIfAbsent(topic, name -> new LocalTopic());
    long sequence = -1;
    for (Publication publication : publications) {
      sequence = local.publish(publication);
    }
    return CompletableFuture.completedFuture(sequence);
  }

  @Override
  public TopicSubscription subscribe(String topic, long fromSequence, TopicListener listener) {
    LocalTopic local = topics.computeIfAbsent(topic, name -> new LocalTopic());
    local.listeners.add(listener);
    return () -> local.listeners.remove(listener);
  }

  /** Returns an empty history: the in-node bus keeps nothing. */
  @Override
  public TopicPosition position(String topic) {
    long next = topics.computeIfAbsent(topic, name -> new LocalTopic()).nextSequence();
    return new TopicPosition(IN_NODE_EPOCH, next, next - 1, "this node");
  }

  @Override
  public Optional<TopicPosition> peekPosition(String topic) {
    return topics.containsKey(topic) ? Optional.of(position(topic)) : Optional.empty();
  }

  @Override
  public List<StoredPublication> read(String topic, long fromSequence, int maxCount) {
    return List.of();
  }

  private static final class LocalTopic {

    private final CopyOnWriteArrayList<TopicListener> listeners = new CopyOnWriteArrayList<>();
    private long nextSequence;

    synchronized long nextSequence() {
      return nextSequence;
    }

    // Publishers of one topic are serialized here so that every listener gets one order.
    synchronized long publish(Publication publication) {
      long sequence = nextSequence++;
      for (TopicListener listener : listeners) {
        listener.onPublication(sequence, publication);
      }
      return sequence;
    }
  }
}
