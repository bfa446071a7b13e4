package io.roomcast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.roomcast.topic.RoomTopics;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Limits on one node with small settings: a 16-slot ring buffer and a 256 KiB outbound queue per
 * connection.
 */
class SessionLimitsIT {

  private static final int CAPACITY = 16;

  @TempDir
  static Path configDir;
  private static TestCluster cluster;
  private static Vertx vertx;
  private final List<TestClient> clients = new ArrayList<>();

  @BeforeAll
  static void startNode() throws IOException {
    TestCluster.writeHazelcastConfig(configDir, Map.of(
        "capacity: 1024", "capacity: " + CAPACITY,
        "read-batch-size: 64", "read-batch-size: " + CAPACITY));
    Files.writeString(configDir.resolve("roomcast.yaml"), """
        node:
          max-pending-bytes-per-connection: 262144
        channels:
          - name: chat_channel
            match: chat/rooms
            websocket: true
        """);
    cluster = TestCluster.start(1, "--config-dir", configDir.toString());
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopNode() {
    if (vertx != null) {
      vertx.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @AfterEach
  void closeClients() {
    clients.forEach(TestClient::close);
  }

  @Test
  void resumeBeyondHistoryIsIncomplete() {
    String room = "evicted-" + UUID.randomUUID();
    String path = RoomTopics.webSocketPath(room);
    TestClient first = sequenced(path);
    String epoch = first.awaitFrame(frame -> "joined".equals(frame.getString("type"))).getString("epoch");
    long firstSeq = node().publish(room, "m0");
    first.awaitReceived(2);
    first.close();

    long lastSeq = firstSeq;
    for (int i = 1; i <= 40; i++) {
      lastSeq = node().publish(room, "m" + i);
    }
    TestClient resumed = sequenced(path + "?since=" + firstSeq + "&epoch=" + epoch);
    JsonObject recovered = resumed.awaitFrame(frame -> "recovered".equals(frame.getString("type")));

    assertThat(recovered.getBoolean("complete")).isFalse();
    List<Long> sequences = resumed.publications().stream().map(frame -> frame.getLong("seq")).toList();
    List<Long> held = new ArrayList<>();
    for (long seq = lastSeq - CAPACITY + 1; seq <= lastSeq; seq++) {
      held.add(seq);
    }
    assertThat(sequences).isEqualTo(held);
    assertThat(resumed.publications().get(CAPACITY - 1).getString("data")).isEqualTo("m40");
  }

  @Test
  void resumeWithOtherEpochIsIncomplete() {
    String room = "epoch-" + UUID.randomUUID();
    String path = RoomTopics.webSocketPath(room);
    long seq = node().publish(room, "kept");

    TestClient resumed = sequenced(path + "?since=" + seq + "&epoch=not-this-history");
    JsonObject recovered = resumed.awaitFrame(frame -> "recovered".equals(frame.getString("type")));

    assertThat(recovered.getBoolean("complete")).isFalse();
    assertThat(resumed.publications()).extracting(frame -> frame.getString("data")).containsExactly("kept");
  }

  @Test
  void slowRawClientIsClosedWith1013AndRoomGoesOn() throws IOException {
    String room = "slow-raw-" + UUID.randomUUID();
    String path = RoomTopics.webSocketPath(room);
    try (StalledClient slow = StalledClient.connect(node().httpPort(), path, null)) {
      TestClient fast = TestClient.connect(vertx, node().httpPort(), path);
      clients.add(fast);

      int published = publishUntilTooSlowCounted(room);
      StalledClient.Close close = slow.readUntilClose(Duration.ofSeconds(60));

      assertThat(close.code()).isEqualTo(1013);
      assertThat(close.reason()).startsWith("client too slow");
      assertThat(fast.awaitReceived(published)).hasSize(published);
      assertThat(fast.isClosed()).isFalse();
    }
  }

  @Test
  void slowSequencedClientIsToldWhereToResume() throws IOException {
    String room = "slow-sequenced-" + UUID.randomUUID();
    String path = RoomTopics.webSocketPath(room);
    try (StalledClient slow = StalledClient.connect(node().httpPort(), path, "roomcast.v1")) {
      publishUntilTooSlowCounted(room);
      StalledClient.Close close = slow.readUntilClose(Duration.ofSeconds(60));

      assertThat(close.code()).isEqualTo(1013);
      assertThat(close.reason()).matches("client too slow; resume with since=\\d+&epoch=[0-9a-f-]{36}");
    }
  }

  @Test
  void rejectsInvalidResumeParametersWith400() {
    String path = RoomTopics.webSocketPath("params");
    List<String> queries = List.of("?since=abc&epoch=e", "?since=3", "?epoch=e", "?since=-2&epoch=e");
    for (String query : queries) {
      UpgradeRejectedException rejected = rejectedSequenced(path + query);

      assertThat(rejected.getStatus()).as(query).isEqualTo(400);
      assertThat(new JsonObject(rejected.getBody()).getString("error")).as(query).isNotBlank();
    }
    UpgradeRejectedException raw = TestClient.connectRejected(vertx, node().httpPort(), path + "?since=1&epoch=e");
    assertThat(raw.getStatus()).isEqualTo(400);
    assertThat(raw.getBody().toString()).contains("roomcast.v1");
  }

  /** Publishes 16 KiB messages until the node has counted one more 1013 close; returns how many. */
  private int publishUntilTooSlowCounted(String room) {
    double before = tooSlowCount();
    String chunk = "x".repeat(16 * 1024);
    int published = 0;
    while (tooSlowCount() == before) {
      assertThat(published).as("publications before the node closed the slow client").isLessThan(4000);
      node().publish(room, chunk);
      published++;
    }
    return published;
  }

  private double tooSlowCount() {
    String metrics = node().get("/metrics").body();
    return metrics.lines()
        .filter(line -> line.startsWith("roomcast_client_errors_total{") && line.contains("code=\"1013\""))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  private UpgradeRejectedException rejectedSequenced(String pathAndQuery) {
    var client = vertx.createWebSocketClient();
    try {
      client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node().httpPort())
          .setURI(pathAndQuery).addSubProtocol("roomcast.v1")).toCompletionStage().toCompletableFuture()
          .get(20, java.util.concurrent.TimeUnit.SECONDS);
      throw new AssertionError("expected " + pathAndQuery + " to be rejected");
    } catch (java.util.concurrent.ExecutionException e) {
      return (UpgradeRejectedException) e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      client.close();
    }
  }

  private TestClient sequenced(String pathAndQuery) {
    TestClient client = TestClient.connectSequenced(vertx, node().httpPort(), pathAndQuery);
    clients.add(client);
    return client;
  }

  private static NodeProcess node() {
    return cluster.node(0);
  }
}
