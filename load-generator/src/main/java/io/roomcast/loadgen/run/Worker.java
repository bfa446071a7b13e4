package io.roomcast.loadgen.run;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The members on one event loop, their publishing schedule and their counters.
 *
 * <p>Threading: all state is confined to the worker's event loop context. Other threads reach it
 * only through the methods that return a {@link Future}, which run on that context.
 *
 * <p>Fixed-rate mode: a 1 ms timer sends the publications the schedule marks as due, round robin over the
 * worker's publishers, skipping those whose write queue is full. When the schedule runs more than
 * 100 ms behind, the excess is dropped and counted as not sent, so that a stall is reported
 * instead of being followed by a burst.
 */
public final class Worker {

  static final long MAX_LATENCY_NANOS = TimeUnit.SECONDS.toNanos(60);
  private static final long TICK_MILLIS = 1;
  private static final double MAX_BACKLOG_SECONDS = 0.1;

  private final ContextInternal context;
  private final RunSettings settings;
  private final List<Member> members = new ArrayList<>();
  private final List<Member> publishers = new ArrayList<>();
  private final Payload.Fields fields = new Payload.Fields();

  private Histogram latency = newHistogram();
  private long deliveries;
  private long publications;
  private long notSent;
  private long lost;
  private long duplicates;
  private long reordered;
  private long invalid;
  private Map<Integer, Long> closes = new TreeMap<>();
  private long exceptions;
  // Written on the event loop only; volatile so that the progress thread can print it.
  private volatile int openMembers;

  private boolean publishing;
  private long timer = -1;
  private long scheduleStartNanos;
  private long scheduled;
  private int cursor;

  Worker(ContextInternal context, RunSettings settings) {
    this.context = context;
    this.settings = settings;
  }

  static Histogram newHistogram() {
    return new Histogram(MAX_LATENCY_NANOS, 3);
  }

  ContextInternal context() {
    return context;
  }

  RunSettings settings() {
    return settings;
  }

  Payload.Fields fields() {
    return fields;
  }

  boolean isPublishing() {
    return publishing;
  }

  /** Adds a member before it connects; call on the worker's context. */
  void add(Member member) {
    members.add(member);
    if (member.publishes()) {
      publishers.add(member);
    }
  }

  int openMembers() {
    return openMembers;
  }

  void handleOpened() {
    openMembers++;
  }

  void handleClosed() {
    openMembers--;
  }

  void recordDelivery(long latencyNanos) {
    deliveries++;
    latency.recordValue(Math.min(Math.max(latencyNanos, 0), MAX_LATENCY_NANOS));
  }

  void countPublication() {
    publications++;
  }

  void countLost(long count) {
    lost += count;
  }

  void countDuplicate() {
    duplicates++;
  }

  void countReordered() {
    reordered++;
  }

  void countInvalid() {
    invalid++;
  }

  void countClose(int code) {
    closes.merge(code, 1L, Long::sum);
  }

  void handleException(Throwable failure) {
    // Closes are counted by code, and exceptions only explain them. Logging each one could flood
    // the output when a node drops thousands of connections, so they are only counted.
    exceptions++;
  }

  /** Returns the counts since the previous call and starts a new interval. */
  Future<Interval> takeInterval() {
    Promise<Interval> promise = context.promise();
    context.runOnContext(ignored -> {
      Interval interval = new Interval(deliveries, publications, notSent, lost, duplicates, reordered, invalid,
          closes, latency);
      latency = newHistogram();
      deliveries = 0;
      publications = 0;
      notSent = 0;
      lost = 0;
      duplicates = 0;
      reordered = 0;
      invalid = 0;
      closes = new TreeMap<>();
      promise.complete(interval);
    });
    return promise.future();
  }

  /** Starts the publishers of this worker. */
  Future<Void> startPublishing() {
    Promise<Void> promise = context.promise();
    context.runOnContext(ignored -> {
      publishing = true;
      if (settings.windowMode()) {
        for (Member publisher : publishers) {
          publisher.pumpWindow(settings.window());
        }
      } else if (!publishers.isEmpty()) {
        scheduleStartNanos = System.nanoTime();
        timer = context.owner().setPeriodic(TICK_MILLIS, id -> publishDue());
      }
      promise.complete();
    });
    return promise.future();
  }

  /** Stops publishing; the future completes once no further publication will be sent. */
  Future<Void> stopPublishing() {
    Promise<Void> promise = context.promise();
    context.runOnContext(ignored -> {
      publishing = false;
      if (timer >= 0) {
        context.owner().cancelTimer(timer);
        timer = -1;
      }
      promise.complete();
    });
    return promise.future();
  }

  /** Returns each publisher's sent count, for the main thread to record in its room. */
  Future<Map<Member, Long>> sentByPublisher() {
    Promise<Map<Member, Long>> promise = context.promise();
    context.runOnContext(ignored -> {
      Map<Member, Long> sent = new HashMap<>();
      for (Member publisher : publishers) {
        sent.put(publisher, publisher.sent());
      }
      promise.complete(sent);
    });
    return promise.future();
  }

  /** Checks every open member against the final sent counts; call after the rooms recorded them. */
  Future<Check> check() {
    Promise<Check> promise = context.promise();
    context.runOnContext(ignored -> {
      long open = 0;
      long missing = 0;
      long expected = 0;
      long received = 0;
      for (Member member : members) {
        if (member.isOpen()) {
          open++;
          missing += member.missing();
          expected += member.expected();
          received += member.received();
        }
      }
      promise.complete(new Check(members.size(), open, expected, received, missing, exceptions));
    });
    return promise.future();
  }

  /**
   * Returns the order hash of each open member that does not publish and missed nothing, for the
   * main thread to compare within each room; call after the rooms recorded their sent counts.
   */
  Future<Map<Member, Long>> completeSubscriberOrders() {
    Promise<Map<Member, Long>> promise = context.promise();
    context.runOnContext(ignored -> {
      Map<Member, Long> orders = new HashMap<>();
      for (Member member : members) {
        if (member.isOpen() && !member.publishes() && member.missing() == 0) {
          orders.put(member, member.orderHash());
        }
      }
      promise.complete(orders);
    });
    return promise.future();
  }

  /** Returns how many publications the open members received in all; polled while draining. */
  Future<Long> receivedByOpenMembers() {
    Promise<Long> promise = context.promise();
    context.runOnContext(ignored -> {
      long received = 0;
      for (Member member : members) {
        if (member.isOpen()) {
          received += member.received();
        }
      }
      promise.complete(received);
    });
    return promise.future();
  }

  /** Closes every open member with 1000. */
  Future<Void> closeAll() {
    Promise<Void> promise = context.promise();
    context.runOnContext(ignored -> {
      List<Future<Void>> closing = new ArrayList<>();
      for (Member member : members) {
        closing.add(member.close());
      }
      Future.join(closing).<Void>mapEmpty().onComplete(done -> promise.complete());
    });
    return promise.future();
  }

  private void publishDue() {
    if (!publishing) {
      return;
    }
    double ratePerSecond = settings.ratePerPublisher() * publishers.size();
    long due = (long) (ratePerSecond * (System.nanoTime() - scheduleStartNanos) / 1e9) - scheduled;
    long maxBacklog = Math.max(1, (long) (ratePerSecond * MAX_BACKLOG_SECONDS));
    if (due > maxBacklog) {
      notSent += due - maxBacklog;
      scheduled += due - maxBacklog;
      due = maxBacklog;
    }

    int fullInARow = 0;
    while (due > 0 && fullInARow < publishers.size()) {
      Member publisher = publishers.get(cursor);
      cursor = (cursor + 1) % publishers.size();
      if (publisher.publishOne()) {
        publications++;
        scheduled++;
        due--;
        fullInARow = 0;
      } else {
        fullInARow++;
      }
    }
  }

  /**
   * The final state of one worker's members.
   *
   * @param members members placed on this worker
   * @param open members still connected at the end
   * @param expected publications the open members should have received
   * @param received publications the open members received
   * @param missing publications the open members never received
   * @param exceptions connection exceptions reported by Vert.x
   */
  public record Check(long members, long open, long expected, long received, long missing, long exceptions) {
  }
}
