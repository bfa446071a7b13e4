package io.roomcast.cluster;

import com.hazelcast.cluster.Address;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.ringbuffer.OverflowPolicy;
import com.hazelcast.ringbuffer.Ringbuffer;
import com.hazelcast.ringbuffer.impl.RingbufferService;
import com.hazelcast.spi.impl.SerializationServiceSupport;
import com.hazelcast.topic.ITopic;
import com.hazelcast.topic.impl.reliable.ReliableTopicMessage;
import io.roomcast.topic.Publication;
import io.roomcast.topic.TopicBus;
import io.roomcast.topic.TopicListener;
import java.util.UUID;
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
 */
final class ReliableTopicBus implements TopicBus {

  private final HazelcastInstance hazelcast;
  private final SerializationService serialization;
  private final Address localAddress;

  ReliableTopicBus(HazelcastInstance hazelcast) {
    this.hazelcast = hazelcast;
    this.serialization = ((SerializationServiceSupport) hazelcast).getSerializationService();
    this.localAddress = hazelcast.getCluster().getLocalMember().getAddress();
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
    Ringbuffer<ReliableTopicMessage> ringbuffer = hazelcast.getRingbuffer(RingbufferService.TOPIC_RB_PREFIX + topic);
    return ringbuffer.addAsync(new ReliableTopicMessage(payload, localAddress), OverflowPolicy.OVERWRITE);
  }

  @Override
  public TopicSubscription subscribe(String topic, TopicListener listener) {
    ITopic<byte[]> reliableTopic = hazelcast.getReliableTopic(topic);
    UUID registration = reliableTopic.addMessageListener(new TopicRelay(topic, listener));
    return () -> reliableTopic.removeMessageListener(registration);
  }
}
