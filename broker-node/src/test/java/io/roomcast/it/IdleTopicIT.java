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

/** Topics of unused rooms are destroyed once their messages expired. */
class IdleTopicIT {

  @TempDir
  Path configDir;
  private TestCluster cluster;
  private Vertx vertx;

  @BeforeEach
  void startCluster() throws IOException {
    TestCluster.writeHazelcastConfig(configDir, Map.of("time-to-live-seconds: 300", "time-to-live-seconds: 1"));
    cluster = TestCluster.start(2, "--config-dir", configDir.toString());
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stopCluster() {
    vertx.close();
    cluster.close();
  }

  @Test
  void destroysIdleTopicAndKeepsListenedOne() {
    String idleRoom = "idle-" + UUID.randomUUID();
    String liveRoom = "live-" + UUID.randomUUID();
    TestClient client = TestClient.connect(vertx, cluster.node(1).httpPort(), RoomTopics.webSocketPath(liveRoom));
    cluster.node(0).publish(idleRoom, "nobody listens");
    cluster.node(0).publish(liveRoom, "first");
    client.awaitReceived(1);
    assertThat(roomTopics(0)).isEqualTo(2);

    await("idle topic destroyed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
        .until(() -> roomTopics(0) == 1 && roomTopics(1) == 1);

    cluster.node(0).publish(liveRoom, "second");
    assertThat(client.awaitReceived(2)).extracting(TestClient.Received::asText).containsExactly("first", "second");
    assertThat(cluster.node(0).publish(idleRoom, "new history")).as("sequence after the topic was destroyed").isZero();
    client.close();
  }

  private int roomTopics(int node) {
    return new JsonObject(cluster.node(node).get("/api/status").body()).getInteger("roomTopics");
  }
}
