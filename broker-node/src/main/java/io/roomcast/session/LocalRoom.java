package io.roomcast.session;

import io.netty.util.concurrent.EventExecutor;
import io.roomcast.metrics.BrokerMetrics;
import io.roomcast.topic.Publication;
import io.roomcast.topic.TopicBus;
import io.roomcast.topic.TopicBus.TopicSubscription;
import io.roomcast.topic.TopicListener;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;

/**
 * A room as seen by one node: its topic subscription and its local sessions, grouped by event
 * loop.
 *
 * <p>{@link LocalRooms} counts the sessions that hold the room, subscribes when the first one
 * arrives and closes the subscription when the last one leaves. Groups are never removed while
 * the room lives, so a publication never misses a group that a member just joined.
 */
final class LocalRoom implements TopicListener {

  private final String topic;
  private final BrokerMetrics metrics;
  private final TopicBus bus;
  private final ConcurrentMap<EventExecutor, MemberGroup> groups = new ConcurrentHashMap<>();
  private final Promise<Void> subscribed = Promise.promise();
  private TopicSubscription subscription;
  private boolean released;
  // Written by the subscribing worker and the topic's listener thread, read by the listener thread.
  private volatile String epoch;

  private final Consumer<LocalRoom> onCancelled;
  // Written by the topic's listener thread; read when a subscription has to be made again.
  private volatile long lastSequence = TopicBus.NEXT;

  /** Sessions that hold this room; changed only inside {@link LocalRooms}' map operations. */
  int holders;

  LocalRoom(String topic, TopicBus bus, BrokerMetrics metrics, Consumer<LocalRoom> onCancelled) {
    this.topic = topic;
    this.bus = bus;
    this.metrics = metrics;
    this.onCancelled = onCancelled;
  }

  String topic() {
    return topic;
  }

  /** Completes when this node receives the topic's publications. */
  Future<Void> subscribed() {
    return subscribed.future();
  }

  /** Takes a new subscription: the first one, or one made again after the cluster cancelled the last. */
  synchronized void handleSubscribed(TopicSubscription subscription) {
    if (released) {
      subscription.close();
      return;
    }
    this.subscription = subscription;
    subscribed.tryComplete();
  }

  synchronized boolean isReleased() {
    return released;
  }

  /** Returns the sequence to subscribe again from: the one after the last received, or {@link TopicBus#NEXT}. */
  long resumeSequence() {
    long last = lastSequence;
    return last == TopicBus.NEXT ? TopicBus.NEXT : last + 1;
  }

  void handleSubscribeFailed(Throwable failure) {
    subscribed.tryFail(failure);
  }

  /** Stops receiving the topic; called once, when the last holder left. */
  synchronized void release() {
    released = true;
    if (subscription != null) {
      subscription.close();
      subscription = null;
    }
  }

  /** Adds a session to its event loop's group; call on that event loop. */
  void add(Session session) {
    groupOf(currentEventLoop(session)).add(session);
  }

  /** Removes a session from its group; call on the session's event loop. */
  void remove(Session session) {
    MemberGroup group = groups.get(currentEventLoop(session));
    if (group != null) {
      group.remove(session);
    }
  }

  /** Sets the topic's epoch before the subscription starts; called once, from the subscribing worker. */
  void setEpoch(String epoch) {
    this.epoch = epoch;
  }

  @Override
  public void onPublication(long sequence, Publication publication) {
    lastSequence = sequence;
    enqueue(new RoomEvent.Delivery(sequence, epoch, publication));
  }

  @Override
  public void onLoss(long fromSequence, long lostCount) {
    metrics.publicationsLost(lostCount);
    enqueue(new RoomEvent.Gap(fromSequence, lostCount));
  }

  /** Reads the new epoch; this blocks the topic's listener thread, which waits for it anyway. */
  @Override
  public void onReset(long sequence) {
    epoch = bus.position(topic).epoch();
  }

  @Override
  public void onCancel() {
    onCancelled.accept(this);
  }

  private void enqueue(RoomEvent event) {
    for (MemberGroup group : groups.values()) {
      group.enqueue(event);
    }
  }

  private MemberGroup groupOf(EventExecutor eventLoop) {
    return groups.computeIfAbsent(eventLoop, loop -> new MemberGroup(loop, metrics));
  }

  private static EventExecutor currentEventLoop(Session session) {
    return ((io.vertx.core.internal.ContextInternal) session.context()).nettyEventLoop();
  }
}
