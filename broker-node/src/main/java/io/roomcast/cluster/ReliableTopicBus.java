package io.roomcast.cluster;

import com.hazelcast.cluster.Address;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.map.IMap;
import com.hazelcast.ringbuffer.ReadResultSet;
import com.hazelcast.ringbuffer.OverflowPolicy;
import com.hazelcast.ringbuffer.Ringbuffer;
import com.hazelcast.ringbuffer.impl.RingbufferService;
import com.hazelcast.spi.impl.SerializationServiceSupport;
import com.hazelcast.topic.ITopic;
import com.hazelcast.topic.impl.reliable.ReliableTopicMessage;
import io.roomcast.topic.Publication;
import io.roomcast.topic.TopicBus;
import io.roomcast.topic.TopicListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CompletionStage;

/**
 * A {@link TopicBus} on Hazelcast reliable topics: one reliable topic, and so one ring buffer,
 * per topic.
 *
 * <p>Publishing adds the message to the topic's ring buffer itself, the same item that
 * {@code ITopic.publishAsync} would add, for two reasons. Hazelcast 5.7.0's
 * {@code ReliableTopicProxy.publishAllAsync} never completes the returned stage under the
 * {@code DISCARD_OLDEST} and {@code DISCARD_NEWEST} overload policies, so a caller waiting on it
 * would wait forever. And the ring buffer's {@code addAsync} returns the publication's sequence.
 * The add always overwrites the oldest item when the buffer is full, which is what
 * {@code DISCARD_OLDEST} means, so publishers are never blocked or refused.
 *
 * <p>A topic's epoch is a random id kept in the map {@value #EPOCHS_MAP}.
 */
final class ReliableTopicBus implements TopicBus {

  static final String EPOCHS_MAP = "roomcast-epochs";
  /** Map of which member listens to which topic, keyed {@code topic|member}, for {@link IdleTopicSweeper}. */
  static final String LISTENERS_MAP = "roomcast-listeners";

  private final HazelcastInstance hazelcast;
  private final SerializationService serialization;
  private final Address localAddress;
  private final IMap<String, String> epochs;
  private final IMap<String, String> listeners;
  private final UUID localMember;

  ReliableTopicBus(HazelcastInstance hazelcast) {
    this.hazelcast = hazelcast;
    this.serialization = ((SerializationServiceSupport) hazelcast).getSerializationService();
    this.localAddress = hazelcast.getCluster().getLocalMember().getAddress();
    this.epochs = hazelcast.getMap(EPOCHS_MAP);
    this.listeners = hazelcast.getMap(LISTENERS_MAP);
    this.localMember = hazelcast.getCluster().getLocalMember().getUuid();
  }

  IMap<String, String> epochs() {
    return epochs;
  }

  IMap<String, String> listeners() {
    return listeners;
  }

  private static String ringbufferName(String topic) {
    return RingbufferService.TOPIC_RB_PREFIX + topic;
  }

  /**
   * {@inheritDoc}
   *
   * <p>NOTE: the first use of a topic on this node creates its Hazelcast proxy, which may wait for
   * the cluster. Sessions subscribe (off the event loop) before they publish, so only an HTTP
   * publish to a topic without local clients meets that wait, and it publishes from a worker.
   */
  @Override
  public CompletionStage<Long> publish(String topic, Publication publication) {
    Data payload = serialization.toData(publication.wire());
    Ringbuffer<ReliableTopicMessage> ringbuffer = hazelcast.getRingbuffer(ringbufferName(topic));
    return ringbuffer.addAsync(new ReliableTopicMessage(payload, localAddress), OverflowPolicy.OVERWRITE);
  }

  @Override
  public CompletionStage<Long> publishAll(String topic, List<Publication> publications) {
    List<ReliableTopicMessage> messages = new ArrayList<>(publications.size());
    for (Publication publication : publications) {
      messages.add(new ReliableTopicMessage(serialization.toData(publication.wire()), localAddress));
    }
    Ringbuffer<ReliableTopicMessage> ringbuffer = hazelcast.getRingbuffer(ringbufferName(topic));
    return ringbuffer.addAllAsync(messages, OverflowPolicy.OVERWRITE);
  }

  @Override
  public TopicPosition position(String topic) {
    String ringbufferName = ringbufferName(topic);
    Ringbuffer<ReliableTopicMessage> ringbuffer = hazelcast.getRingbuffer(ringbufferName);
    // Keyed by the ring buffer's name, an epoch lives in the ring buffer's partition with the same
    // backup count, so the two are lost together and a new history gets a new epoch.
    String fresh = UUID.randomUUID().toString();
    String existing = epochs.putIfAbsent(ringbufferName, fresh);
    String epoch = existing != null ? existing : fresh;
    Member owner = hazelcast.getPartitionService().getPartition(ringbufferName).getOwner();
    String ownerAddress = owner != null ? HazelcastCluster.format(owner) : "none";
    return new TopicPosition(epoch, ringbuffer.headSequence(), ringbuffer.tailSequence(), ownerAddress);
  }

  @Override
  public Optional<TopicPosition> peekPosition(String topic) {
    // Every ring buffer gets its epoch when a node first reads its position, and loses it when it
    // is destroyed, so a missing epoch means there is no history to report.
    if (!epochs.containsKey(ringbufferName(topic))) {
      return Optional.empty();
    }
    return Optional.of(position(topic));
  }

  @Override
  public List<StoredPublication> read(String topic, long fromSequence, int maxCount) {
    Ringbuffer<ReliableTopicMessage> ringbuffer = hazelcast.getRingbuffer(ringbufferName(topic));
    ReadResultSet<ReliableTopicMessage> result;
    try {
      int count = (int) Math.min(maxCount, ringbuffer.capacity());
      result = ringbuffer.readManyAsync(fromSequence, 0, count, null).toCompletableFuture().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading topic " + topic, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("failed to read topic " + topic + " from sequence " + fromSequence
          + ": " + e.getCause().getMessage(), e.getCause());
    }

    List<StoredPublication> stored = new ArrayList<>(result.size());
    for (int i = 0; i < result.size(); i++) {
      byte[] wire = serialization.toObject(result.get(i).getPayload());
      stored.add(new StoredPublication(result.getSequence(i), Publication.fromWire(wire)));
    }
    return stored;
  }

  @Override
  public TopicSubscription subscribe(String topic, long fromSequence, TopicListener listener) {
    String listenerKey = IdleTopicSweeper.listenerKey(topic, localMember);
    listeners.set(listenerKey, topic);
    ITopic<byte[]> reliableTopic = hazelcast.getReliableTopic(topic);
    TopicRelay relay = new TopicRelay(topic, fromSequence, listener);
    UUID registration = reliableTopic.addMessageListener(relay);
    return () -> {
      relay.stop();
      reliableTopic.removeMessageListener(registration);
      listeners.removeAsync(listenerKey);
    };
  }
}
