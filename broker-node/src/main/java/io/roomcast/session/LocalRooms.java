package io.roomcast.session;

import io.roomcast.metrics.BrokerMetrics;
import io.roomcast.topic.TopicBus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rooms this node has local clients in. A node listens to a topic while at least one of its
 * sessions holds the room, and stops when the last one releases it.
 */
final class LocalRooms {

  private static final Logger LOG = LoggerFactory.getLogger(LocalRooms.class);

  private final Vertx vertx;
  private final TopicBus bus;
  private final BrokerMetrics metrics;
  private static final long RESUBSCRIBE_DELAY_MILLIS = 1000;

  private final ConcurrentMap<String, LocalRoom> rooms = new ConcurrentHashMap<>();
  private volatile boolean stopping;

  LocalRooms(Vertx vertx, TopicBus bus, BrokerMetrics metrics) {
    this.vertx = vertx;
    this.bus = bus;
    this.metrics = metrics;
  }

  /**
   * Holds the room of a topic for one session. The future completes once this node receives the
   * topic's publications, so a client admitted after it misses nothing published later.
   */
  Future<LocalRoom> acquire(String topic) {
    boolean[] created = new boolean[1];
    LocalRoom room = rooms.compute(topic, (key, existing) -> {
      LocalRoom held = existing;
      if (held == null) {
        held = new LocalRoom(key, bus, metrics, this::handleCancelled);
        created[0] = true;
      }
      held.holders++;
      return held;
    });
    if (created[0]) {
      doSubscribe(room);
    }
    return room.subscribed().map(room);
  }

  /** Releases one hold; the last release stops listening to the topic. */
  void release(LocalRoom room) {
    rooms.computeIfPresent(room.topic(), (key, held) -> {
      if (held != room || --held.holders > 0) {
        return held;
      }
      held.release();
      LOG.debug("Topic {}: last local client left, stopped listening", key);
      return null;
    });
  }

  int size() {
    return rooms.size();
  }

  /** Stops making subscriptions again; called when the node stops, before it leaves the cluster. */
  void stopResubscribing() {
    stopping = true;
  }

  // Called on the topic's listener thread when the cluster ended the subscription unasked. The
  // room's sessions would otherwise receive nothing more, so subscribe again from the sequence
  // after the last one received. A gap, if any, is then reported like any other.
  private void handleCancelled(LocalRoom room) {
    if (stopping || room.isReleased()) {
      return;
    }
    vertx.setTimer(RESUBSCRIBE_DELAY_MILLIS, timer -> doResubscribe(room));
  }

  private void doResubscribe(LocalRoom room) {
    if (stopping || room.isReleased()) {
      return;
    }
    long from = room.resumeSequence();
    vertx.executeBlocking(() -> bus.subscribe(room.topic(), from, room), false)
        .onSuccess(subscription -> {
          room.handleSubscribed(subscription);
          LOG.info("Topic {}: listening again from sequence {}", room.topic(), from);
        })
        .onFailure(failure -> {
          LOG.warn("Topic {}: failed to subscribe again from sequence {}, retrying", room.topic(), from, failure);
          handleCancelled(room);
        });
  }

  // Reading the epoch and Hazelcast's addMessageListener, which reads the ring buffer's tail, are
  // calls to the partition owner, so they run on a worker thread.
  private void doSubscribe(LocalRoom room) {
    vertx.executeBlocking(() -> {
          room.setEpoch(bus.position(room.topic()).epoch());
          return bus.subscribe(room.topic(), TopicBus.NEXT, room);
        }, false)
        .onSuccess(subscription -> {
          room.handleSubscribed(subscription);
          LOG.debug("Topic {}: listening", room.topic());
        })
        .onFailure(failure -> {
          LOG.warn("Topic {}: failed to subscribe", room.topic(), failure);
          room.handleSubscribeFailed(failure);
          rooms.remove(room.topic(), room);
        });
  }
}
