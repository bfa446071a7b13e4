package io.roomcast.session;

import io.roomcast.topic.TopicBus;
import io.roomcast.topic.TopicBus.StoredPublication;
import io.roomcast.topic.TopicBus.TopicPosition;
import java.util.ArrayList;
import java.util.List;

/**
 * Start point of a sequenced session: the topic's epoch and newest sequence, and for a resume the
 * stored publications the client missed. Built on a worker thread because it reads the cluster.
 *
 * @param epoch the topic's current epoch
 * @param startAfter the sequence after which live delivery continues
 * @param missed stored publications after the client's {@code since}, oldest first; empty for a
 *     fresh join
 * @param complete whether {@code missed} contains every publication after {@code since}; always true
 *     for a fresh join
 */
record HistoryReplay(String epoch, long startAfter, List<StoredPublication> missed, boolean complete) {

  private static final int READ_BATCH = 256;

  /** Returns the starting point of a client that joins without {@code since}. */
  static HistoryReplay fresh(TopicBus bus, String topic) {
    TopicPosition position = bus.position(topic);
    return new HistoryReplay(position.epoch(), position.tailSequence(), List.of(), true);
  }

  /**
   * Reads what a resuming client missed: every stored publication after {@code since} when the
   * epoch matches and history still stores {@code since + 1}, else everything stored, marked
   * incomplete.
   */
  static HistoryReplay resume(TopicBus bus, String topic, ResumeRequest request) {
    TopicPosition position = bus.position(topic);
    boolean sameEpoch = position.epoch().equals(request.epoch());
    boolean held = request.since() + 1 >= position.headSequence() && request.since() <= position.tailSequence();
    boolean complete = sameEpoch && held;
    long from = complete ? request.since() + 1 : position.headSequence();

    List<StoredPublication> missed = new ArrayList<>();
    long next = from;
    while (next <= position.tailSequence()) {
      List<StoredPublication> batch;
      try {
        batch = bus.read(topic, next, READ_BATCH);
      } catch (RuntimeException e) {
        // The oldest publications expired or were overwritten while we read: go on from the head.
        TopicPosition now = bus.position(topic);
        if (now.headSequence() <= next) {
          throw e;
        }
        complete = false;
        next = now.headSequence();
        continue;
      }
      if (batch.isEmpty()) {
        break;
      }
      missed.addAll(batch);
      next = batch.get(batch.size() - 1).sequence() + 1;
    }
    long startAfter = missed.isEmpty() ? from - 1 : missed.get(missed.size() - 1).sequence();
    return new HistoryReplay(position.epoch(), startAfter, List.copyOf(missed), complete);
  }
}
