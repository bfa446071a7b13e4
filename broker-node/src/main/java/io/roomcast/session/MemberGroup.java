package io.roomcast.session;

import io.netty.util.concurrent.EventExecutor;
import io.roomcast.metrics.BrokerMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The sessions of one room that share one event loop, and the publications waiting for them.
 *
 * <p>The topic listener thread queues publications with {@link #enqueue}; the event loop drains
 * the queue, writes each publication to every member in topic order and flushes each member once
 * per drained batch. Under load one flush carries many frames; when idle, a batch contains one
 * publication and is flushed at once. Members are confined to the event loop, so no lock guards
 * them.
 */
final class MemberGroup implements Runnable {

  /** Events written per drain before the event loop serves other work. */
  private static final int MAX_BATCH = 256;

  private final EventExecutor eventLoop;
  private final BrokerMetrics metrics;
  private final List<Session> members = new ArrayList<>();
  private final Queue<RoomEvent> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  MemberGroup(EventExecutor eventLoop, BrokerMetrics metrics) {
    this.eventLoop = eventLoop;
    this.metrics = metrics;
  }

  /** Adds a member; call on the group's event loop. */
  void add(Session session) {
    members.add(session);
  }

  /** Removes a member; call on the group's event loop. */
  void remove(Session session) {
    members.remove(session);
  }

  /** Queues an event for every member; any thread. */
  void enqueue(RoomEvent event) {
    queue.offer(event);
    if (scheduled.compareAndSet(false, true)) {
      eventLoop.execute(this);
    }
  }

  /** Drains queued publications on the event loop. */
  @Override
  public void run() {
    int delivered = 0;
    RoomEvent event;
    for (int batch = 0; batch < MAX_BATCH && (event = queue.poll()) != null; batch++) {
      EncodedFrames frames = event instanceof RoomEvent.Delivery delivery ? new EncodedFrames(delivery) : null;
      for (int i = 0; i < members.size(); i++) {
        delivered += members.get(i).handle(event, frames);
      }
      if (frames != null) {
        frames.release();
      }
    }
    for (int i = 0; i < members.size(); i++) {
      members.get(i).flush();
    }
    metrics.delivered(delivered);

    scheduled.set(false);
    if (!queue.isEmpty() && scheduled.compareAndSet(false, true)) {
      eventLoop.execute(this);
    }
  }
}
