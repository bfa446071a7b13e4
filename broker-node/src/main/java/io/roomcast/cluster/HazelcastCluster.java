package io.roomcast.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.YamlConfigBuilder;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.roomcast.config.InvalidConfigException;
import io.roomcast.topic.RoomTopics;
import io.roomcast.topic.TopicBus;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's embedded Hazelcast member: started from {@code hazelcast.yaml}, with the join
 * settings of {@link ClusterOptions} laid over it and every outbound feature that could reach
 * another machine unasked turned off.
 */
public final class HazelcastCluster implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HazelcastCluster.class);
  private static final int MIN_SWEEP_SECONDS = 5;

  private final HazelcastInstance hazelcast;
  private final ReliableTopicBus topicBus;
  private final IdleTopicSweeper sweeper;

  private HazelcastCluster(HazelcastInstance hazelcast) {
    this.hazelcast = hazelcast;
    this.topicBus = new ReliableTopicBus(hazelcast);
    this.sweeper = new IdleTopicSweeper(hazelcast, topicBus.epochs(), topicBus.listeners());
    hazelcast.getCluster().addMembershipListener(new ListenerRegistryCleaner(topicBus.listeners()));
    startSweeping();
  }

  // Ring buffer items expire after the time to live, so one sweep per time to live is enough.
  // Without a time to live a ring buffer never empties, so no topic is ever idle.
  private void startSweeping() {
    String topic = RoomTopics.topicOfRoom("any room");
    int ttlSeconds = hazelcast.getConfig().findRingbufferConfig(topic).getTimeToLiveSeconds();
    if (ttlSeconds <= 0) {
      LOG.info("Ring buffers of {}* have no time to live, so idle room topics are never destroyed",
          RoomTopics.TOPIC_PREFIX);
      return;
    }
    sweeper.start(Duration.ofSeconds(Math.max(ttlSeconds, MIN_SWEEP_SECONDS)));
  }

  /** Starts the member and blocks until it has joined or formed its cluster. */
  public static HazelcastCluster start(ClusterOptions options, InputStream hazelcastYaml) {
    Config config = new YamlConfigBuilder(hazelcastYaml).build();
    applyOptions(config, options);
    checkRoomTopicSettings(config);
    return new HazelcastCluster(Hazelcast.newHazelcastInstance(config));
  }

  static void applyOptions(Config config, ClusterOptions options) {
    config.setClusterName(options.clusterName());

    // These stay off whatever hazelcast.yaml sets: the node sends no traffic to addresses it was
    // not configured with, and the node's own SIGTERM handler shuts Hazelcast down gracefully.
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.socket.bind.any", "false");

    NetworkConfig network = config.getNetworkConfig();
    network.setPort(options.port()).setPortAutoIncrement(false);
    network.setPublicAddress(options.host() + ":" + options.port());
    network.getInterfaces().setEnabled(true).setInterfaces(List.of(options.host()));

    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(options.members());
  }

  /**
   * Rejects ring buffer settings that would make every room's listener fail: Hazelcast refuses to
   * read more items per call than the ring buffer holds.
   */
  static void checkRoomTopicSettings(Config config) {
    String topic = RoomTopics.topicOfRoom("any room");
    int batch = config.findReliableTopicConfig(topic).getReadBatchSize();
    int capacity = config.findRingbufferConfig(topic).getCapacity();
    if (batch > capacity) {
      throw new InvalidConfigException("hazelcast.yaml: reliable topic read-batch-size " + batch
          + " exceeds ring buffer capacity " + capacity + " for " + RoomTopics.TOPIC_PREFIX + "*; lower the batch size");
    }
  }

  public TopicBus topicBus() {
    return topicBus;
  }

  public String clusterName() {
    return hazelcast.getConfig().getClusterName();
  }

  /** Returns this member's address as {@code host:port}. */
  public String localAddress() {
    return format(hazelcast.getCluster().getLocalMember());
  }

  /** Returns the addresses of the current cluster members, this node included. */
  public List<String> memberAddresses() {
    return hazelcast.getCluster().getMembers().stream().map(HazelcastCluster::format).toList();
  }

  /** Returns how many room topics have a ring buffer in the cluster, as seen from this member. */
  public int roomTopicCount() {
    return IdleTopicSweeper.roomRingbufferNames(hazelcast).size();
  }

  public boolean isRunning() {
    return hazelcast.getLifecycleService().isRunning();
  }

  /** Leaves the cluster gracefully, waiting until this member's partitions have migrated away. */
  @Override
  public void close() {
    if (!isRunning()) {
      return;
    }
    LOG.info("Leaving Hazelcast cluster {} as {}", clusterName(), localAddress());
    sweeper.close();
    hazelcast.shutdown();
  }

  static String format(Member member) {
    InetSocketAddress address = member.getSocketAddress();
    return address.getHostString() + ":" + address.getPort();
  }
}
