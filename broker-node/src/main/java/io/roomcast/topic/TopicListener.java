package io.roomcast.topic;

/**
 * Receives the publications of one topic from a {@link TopicBus}.
 *
 * <p>Ordering: one thread at a time calls a listener, in sequence order. Calls may come from
 * different threads over time, never from a Vert.x event loop, and must not block.
 */
public interface TopicListener {

  /** Handles the publication at {@code sequence}, its position in the topic. */
  void onPublication(long sequence, Publication publication);

  /**
   * Handles a gap: the publications from {@code fromSequence} on, {@code lostCount} of them, were
   * overwritten or expired before this node read them. Delivery goes on after the gap.
   */
  void onLoss(long fromSequence, long lostCount);

  /**
   * Handles a restart of the topic's history: the stored publications were lost, for example with
   * the member that owned them and its backup, and sequences start again at {@code sequence}.
   */
  void onReset(long sequence);

  /**
   * Handles the end of delivery that the subscriber did not ask for, such as a cluster failure.
   * Nothing more arrives on this subscription; subscribe again to go on.
   */
  void onCancel();
}
