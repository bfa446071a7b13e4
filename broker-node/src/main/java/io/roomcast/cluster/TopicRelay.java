package io.roomcast.cluster;

import com.hazelcast.topic.Message;
import com.hazelcast.topic.ReliableMessageListener;
import io.roomcast.topic.Publication;
import io.roomcast.topic.TopicListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays one reliable topic to a {@link TopicListener}, with loss handled on purpose.
 *
 * <p>Hazelcast calls {@link #storeSequence} with a message's sequence right before
 * {@link #onMessage} with the message, on one thread at a time. A jump in those sequences is a
 * gap: this node read too slowly and the ring buffer overwrote or expired what it missed. The
 * relay is loss tolerant, so Hazelcast goes on from the oldest stored message instead of
 * cancelling the listener. The relay logs the gap and reports it to the listener.
 */
final class TopicRelay implements ReliableMessageListener<byte[]> {

  private static final Logger LOG = LoggerFactory.getLogger(TopicRelay.class);
  private static final long NONE = -1;

  private final String topic;
  private final TopicListener listener;
  private final long initialSequence;
  private long expectedSequence;
  private long currentSequence = NONE;
  private volatile boolean stopped;

  /**
   * Creates a relay that starts at {@code initialSequence}, or after the newest stored message
   * when it is -1.
   */
  TopicRelay(String topic, long initialSequence, TopicListener listener) {
    this.topic = topic;
    this.initialSequence = initialSequence;
    this.expectedSequence = initialSequence;
    this.listener = listener;
  }

  @Override
  public long retrieveInitialSequence() {
    return initialSequence;
  }

  /** Marks the end of delivery as requested, so that {@link #onCancel} does not report it. */
  void stop() {
    stopped = true;
  }

  @Override
  public void storeSequence(long sequence) {
    if (expectedSequence != NONE && sequence != expectedSequence) {
      handleGap(sequence);
    }
    currentSequence = sequence;
    expectedSequence = sequence + 1;
  }

  @Override
  public void onMessage(Message<byte[]> message) {
    Publication publication;
    try {
      publication = Publication.fromWire(message.getMessageObject());
    } catch (IllegalArgumentException e) {
      LOG.warn("Topic {}: skipped sequence {} because {}", topic, currentSequence, e.getMessage());
      return;
    }
    listener.onPublication(currentSequence, publication);
  }

  @Override
  public boolean isLossTolerant() {
    return true;
  }

  /** Keeps the relay running after a listener failure; the failure is a bug, logged with its topic. */
  @Override
  public boolean isTerminal(Throwable failure) {
    LOG.error("Topic {}: listener failed at sequence {}", topic, currentSequence, failure);
    return false;
  }

  @Override
  public void onCancel() {
    if (stopped) {
      LOG.debug("Topic {}: stopped listening after sequence {}", topic, currentSequence);
      return;
    }
    LOG.warn("Topic {}: Hazelcast cancelled the listener after sequence {}", topic, currentSequence);
    listener.onCancel();
  }

  private void handleGap(long sequence) {
    if (sequence > expectedSequence) {
      long lost = sequence - expectedSequence;
      LOG.warn("Topic {}: lost {} publications from sequence {} because this node read too slowly"
          + " and the ring buffer dropped them", topic, lost, expectedSequence);
      listener.onLoss(expectedSequence, lost);
    } else {
      // Hazelcast restarts from the head when the ring buffer was lost with its backup.
      LOG.warn("Topic {}: history restarted at sequence {} after {}, because the ring buffer was lost",
          topic, sequence, expectedSequence - 1);
      listener.onReset(sequence);
    }
  }
}
