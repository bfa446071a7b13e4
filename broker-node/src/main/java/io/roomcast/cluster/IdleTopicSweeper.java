package io.roomcast.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.DistributedObject;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.partition.Partition;
import com.hazelcast.ringbuffer.Ringbuffer;
import com.hazelcast.ringbuffer.impl.RingbufferService;
import io.roomcast.topic.RoomTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Destroys the reliable topics of unused rooms, so that memory stays bounded as rooms come and
 * go. Every ring buffer keeps its full capacity allocated, on its owner and its backup, until it is
 * destroyed.
 *
 * <p>Each node sweeps the room topics whose ring buffer it owns, once per ring buffer time to live.
 * A topic is destroyed, together with its epoch, when its ring buffer is empty because every
 * message expired, no publication arrived since the previous sweep, and no node listens to it
 * according to the listener registry that {@link ReliableTopicBus} keeps. The room's next use
 * starts a new history with a new epoch.
 *
 * <p>NOTE: an HTTP publish to a room without listeners that lands between the check and the destroy
 * is dropped with the old history. No node was listening, and a client that resumes later sees
 * {@code complete: false} because the epoch changed.
 */
final class IdleTopicSweeper implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(IdleTopicSweeper.class);

  private final HazelcastInstance hazelcast;
  private final IMap<String, String> epochs;
  private final IMap<String, String> listeners;
  private final Map<String, Long> tailAtLastSweep = new HashMap<>();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "roomcast-idle-topic-sweeper");
    thread.setDaemon(true);
    return thread;
  });

  IdleTopicSweeper(HazelcastInstance hazelcast, IMap<String, String> epochs, IMap<String, String> listeners) {
    this.hazelcast = hazelcast;
    this.epochs = epochs;
    this.listeners = listeners;
  }

  /** Starts sweeping every {@code interval}. */
  void start(Duration interval) {
    scheduler.scheduleWithFixedDelay(this::sweepSafely, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Returns the listener registry key of a topic on a member. */
  static String listenerKey(String topic, UUID member) {
    return topic + "|" + member;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }

  private void sweepSafely() {
    try {
      int destroyed = sweep();
      if (destroyed > 0) {
        LOG.info("Destroyed {} idle room topics whose messages had all expired", destroyed);
      }
    } catch (RuntimeException e) {
      if (hazelcast.getLifecycleService().isRunning()) {
        LOG.warn("Idle topic sweep failed; retrying at the next sweep", e);
      }
    }
  }

  /** Runs one sweep; returns how many topics it destroyed. Package-private for tests. */
  int sweep() {
    Set<UUID> members = new HashSet<>();
    for (Member member : hazelcast.getCluster().getMembers()) {
      members.add(member.getUuid());
    }
    Set<String> seen = new HashSet<>();
    int destroyed = 0;
    for (String ringbufferName : roomRingbufferNames(hazelcast)) {
      String topic = ringbufferName.substring(RingbufferService.TOPIC_RB_PREFIX.length());
      if (!isOwnedHere(ringbufferName)) {
        continue;
      }
      seen.add(topic);
      if (isIdle(topic, ringbufferName, members)) {
        doDestroy(topic, ringbufferName);
        tailAtLastSweep.remove(topic);
        destroyed++;
      }
    }
    tailAtLastSweep.keySet().retainAll(seen);
    return destroyed;
  }

  /** Returns the names of the room topics' ring buffers that have a proxy on this member. */
  static List<String> roomRingbufferNames(HazelcastInstance hazelcast) {
    String prefix = RingbufferService.TOPIC_RB_PREFIX + RoomTopics.TOPIC_PREFIX;
    List<String> names = new ArrayList<>();
    for (DistributedObject object : hazelcast.getDistributedObjects()) {
      if (RingbufferService.SERVICE_NAME.equals(object.getServiceName()) && object.getName().startsWith(prefix)) {
        names.add(object.getName());
      }
    }
    return names;
  }

  private boolean isOwnedHere(String ringbufferName) {
    Partition partition = hazelcast.getPartitionService().getPartition(ringbufferName);
    Member owner = partition.getOwner();
    return owner != null && owner.localMember();
  }

  private boolean isIdle(String topic, String ringbufferName, Set<UUID> members) {
    Ringbuffer<Object> ringbuffer = hazelcast.getRingbuffer(ringbufferName);
    long tail = ringbuffer.tailSequence();
    Long previousTail = tailAtLastSweep.put(topic, tail);
    if (ringbuffer.size() > 0 || previousTail == null || previousTail != tail) {
      return false;
    }
    Set<String> keys = new HashSet<>();
    for (UUID member : members) {
      keys.add(listenerKey(topic, member));
    }
    return listeners.getAll(keys).isEmpty();
  }

  private void doDestroy(String topic, String ringbufferName) {
    LOG.debug("Topic {}: destroying, because it is empty, idle and has no listeners", topic);
    epochs.remove(ringbufferName);
    hazelcast.getReliableTopic(topic).destroy();
    hazelcast.getRingbuffer(ringbufferName).destroy();
  }
}
