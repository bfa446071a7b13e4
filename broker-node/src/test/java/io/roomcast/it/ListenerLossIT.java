package io.roomcast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.roomcast.topic.RoomTopics;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose topic listener falls behind the ring buffer, as in a long GC pause: the test stops
 * the node's process with SIGSTOP while another node publishes more than the ring buffer holds.
 */
class ListenerLossIT {

  private static final int CAPACITY = 16;

  @TempDir
  Path configDir;
  private TestCluster cluster;
  private Vertx vertx;

  @BeforeEach
  void startCluster() throws IOException {
    // Without a backup, publishing to a topic owned by the first node never waits for the stopped one.
    TestCluster.writeHazelcastConfig(configDir, Map.of(
        "capacity: 1024", "capacity: " + CAPACITY,
        "read-batch-size: 64", "read-batch-size: " + CAPACITY,
        "backup-count: 1", "backup-count: 0"));
    cluster = TestCluster.start(2, "--config-dir", configDir.toString());
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stopCluster() throws Exception {
    signal("CONT", cluster.node(1));
    vertx.close();
    cluster.close();
  }

  @Test
  void pausedNodeReportsGapAndKeepsDelivering() throws Exception {
    NodeProcess publisherNode = cluster.node(0);
    NodeProcess pausedNode = cluster.node(1);
    String room = roomStoredOn(publisherNode);
    String path = RoomTopics.webSocketPath(room);
    TestClient raw = TestClient.connect(vertx, pausedNode.httpPort(), path);
    TestClient sequenced = TestClient.connectSequenced(vertx, pausedNode.httpPort(), path);
    sequenced.awaitFrame(frame -> "joined".equals(frame.getString("type")));
    publisherNode.publish(room, "warm-up");
    raw.awaitReceived(1);

    signal("STOP", pausedNode);
    for (int i = 0; i < 3 * CAPACITY; i++) {
      publisherNode.publish(room, "m" + i);
    }
    signal("CONT", pausedNode);

    String last = "m" + (3 * CAPACITY - 1);
    await().atMost(Duration.ofSeconds(60)).until(() -> raw.texts().contains(last));
    JsonObject gap = sequenced.awaitFrame(frame -> "gap".equals(frame.getString("type")));
    assertThat(gap.getBoolean("complete")).isFalse();
    assertThat(gap.getLong("count")).isPositive();
    sequenced.awaitFrame(frame -> last.equals(frame.getString("data")));
    assertThat(raw.texts()).hasSizeLessThan(3 * CAPACITY + 1).doesNotHaveDuplicates();
    assertThat(pausedNode.logText()).contains("publications from sequence").contains("read too slowly");
    assertThat(pausedNode.get("/metrics").body()).containsPattern("roomcast_lost_publications_total [1-9]");
    raw.close();
    sequenced.close();
  }

  /**
   * Returns a room whose history the given node stores, so publishing to it never involves the
   * other node. A client joins each candidate room first, because a room has a history, and so an
   * owner in {@code /api/history}, once a node listens to it.
   */
  private String roomStoredOn(NodeProcess node) {
    String address = "127.0.0.1:" + node.hazelcastPort();
    for (int i = 0; i < 200; i++) {
      String room = "loss-" + UUID.randomUUID();
      try (TestClient probe = TestClient.connect(vertx, node.httpPort(), RoomTopics.webSocketPath(room))) {
        JsonObject history = new JsonObject(node.get("/api/history?room=" + room).body());
        if (address.equals(history.getString("owner"))) {
          return room;
        }
      }
    }
    throw new AssertionError("no room stored on " + address + " among 200 tries");
  }

  private static void signal(String signal, NodeProcess node) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(node.pid())).inheritIO().start();
    assertThat(kill.waitFor()).as("kill -%s %d", signal, node.pid()).isZero();
  }
}
