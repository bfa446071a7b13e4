package io.roomcast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.roomcast.topic.RoomTopics;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sequenced sessions across three node processes: resume on another node, and exact accounting of
 * every client's sequences while a node is killed or stopped under continuous publishing.
 */
class SequencedSessionIT {

  private TestCluster cluster;
  private Vertx vertx;
  private final List<TestClient> clients = new ArrayList<>();

  @BeforeEach
  void startCluster() {
    cluster = TestCluster.start(3);
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stopCluster() {
    clients.forEach(TestClient::close);
    vertx.close();
    cluster.close();
  }

  @Test
  void resumesOnOtherNodeWithoutGapOrDuplicate() {
    String room = "resume-" + UUID.randomUUID();
    String path = RoomTopics.webSocketPath(room);
    TestClient first = connect(0, path);
    JsonObject joined = first.awaitFrame(frame -> "joined".equals(frame.getString("type")));
    String epoch = joined.getString("epoch");
    for (int i = 0; i < 5; i++) {
      cluster.node(2).publish(room, "before-" + i);
    }
    first.awaitReceived(6);
    long lastSeen = first.publications().get(4).getLong("seq");
    first.close();

    List<Long> missedSequences = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      missedSequences.add(cluster.node(2).publish(room, "missed-" + i));
    }
    TestClient resumed = connect(1, path + "?since=" + lastSeen + "&epoch=" + epoch);
    JsonObject recovered = resumed.awaitFrame(frame -> "recovered".equals(frame.getString("type")));
    long liveSequence = cluster.node(0).publish(room, "live");
    resumed.awaitReceived(7);

    List<JsonObject> frames = resumed.frames();
    assertThat(frames.subList(0, 5)).extracting(frame -> frame.getLong("seq")).isEqualTo(missedSequences);
    assertThat(frames.subList(0, 5)).extracting(frame -> frame.getString("data"))
        .containsExactly("missed-0", "missed-1", "missed-2", "missed-3", "missed-4");
    assertThat(frames.get(5)).isEqualTo(recovered);
    assertThat(recovered.getBoolean("complete")).isTrue();
    assertThat(frames.get(6).getLong("seq")).isEqualTo(liveSequence);
    assertThat(frames.get(6).getString("data")).isEqualTo("live");
    assertThat(frames.get(6).getString("epoch")).isEqualTo(epoch);
  }

  @Test
  void killNineLosesNothingForSurvivorsOrResumers() {
    runFailover(() -> assertThat(cluster.node(2).kill()).isEqualTo(137), null);
  }

  @Test
  void gracefulStopLosesNothingAndClosesWith1001() {
    runFailover(() -> assertThat(cluster.node(2).stop()).isZero(), (short) 1001);
  }

  /**
   * Two HTTP publishers on nodes 1 and 2 publish continuously while {@code failure} takes node 3
   * away. Sequenced subscribers sit on all three nodes; those of node 3 resume on node 1. Every
   * subscriber must end with every accepted publication after its join, in sequence order, once.
   *
   * @param orphanCloseCode close code node 3's clients must see, or null for a killed node
   */
  private void runFailover(Runnable failure, Short orphanCloseCode) {
    String room = "failover-" + UUID.randomUUID();
    String path = RoomTopics.webSocketPath(room);
    List<TestClient> subscribers = new ArrayList<>();
    for (int node = 0; node < 3; node++) {
      subscribers.add(connect(node, path));
      subscribers.add(connect(node, path));
    }
    Map<TestClient, JsonObject> joinedBy = new ConcurrentHashMap<>();
    for (TestClient subscriber : subscribers) {
      joinedBy.put(subscriber, subscriber.awaitFrame(frame -> "joined".equals(frame.getString("type"))));
    }

    Map<Long, String> accepted = new ConcurrentHashMap<>();
    AtomicBoolean publishing = new AtomicBoolean(true);
    List<Thread> publishers = new ArrayList<>();
    for (int node = 0; node < 2; node++) {
      NodeProcess target = cluster.node(node);
      String prefix = "n" + node + "-";
      Thread publisher = new Thread(() -> {
        for (int i = 0; i < 300 && publishing.get(); i++) {
          String text = prefix + i;
          accepted.put(target.publish(room, text), text);
        }
      });
      publisher.start();
      publishers.add(publisher);
    }

    await().atMost(Duration.ofSeconds(30)).until(() -> accepted.size() >= 100);
    failure.run();

    List<TestClient> resumers = new ArrayList<>();
    for (TestClient orphan : subscribers.subList(4, 6)) {
      Short closeCode = orphan.awaitClose();
      if (orphanCloseCode != null) {
        assertThat(closeCode).as("close code of node 3's client").isEqualTo(orphanCloseCode);
      }
      List<JsonObject> seen = orphan.publications();
      long since = seen.isEmpty() ? joinedBy.get(orphan).getLong("seq") : seen.get(seen.size() - 1).getLong("seq");
      String epoch = joinedBy.get(orphan).getString("epoch");
      resumers.add(connect(0, path + "?since=" + since + "&epoch=" + epoch));
    }
    joinAll(publishers);

    long lastAccepted = accepted.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
    for (TestClient subscriber : subscribers.subList(0, 4)) {
      assertReceivedEverythingAfter(subscriber, joinedBy.get(subscriber).getLong("seq"), lastAccepted, accepted);
    }
    for (int i = 0; i < 2; i++) {
      TestClient orphan = subscribers.get(4 + i);
      TestClient resumer = resumers.get(i);
      JsonObject recovered = resumer.awaitFrame(frame -> "recovered".equals(frame.getString("type")));
      assertThat(recovered.getBoolean("complete")).as("resume complete").isTrue();
      awaitSequence(resumer, lastAccepted);

      List<JsonObject> combined = new ArrayList<>(orphan.publications());
      combined.addAll(resumer.publications());
      assertContiguous(combined, joinedBy.get(orphan).getLong("seq"), lastAccepted, accepted);
    }
    for (TestClient client : clients) {
      assertThat(client.frames()).as("no gap or reset frames")
          .noneMatch(frame -> "gap".equals(frame.getString("type")) || "reset".equals(frame.getString("type")));
    }
  }

  private void assertReceivedEverythingAfter(TestClient subscriber, long joinedAt, long lastAccepted,
      Map<Long, String> accepted) {
    awaitSequence(subscriber, lastAccepted);
    assertContiguous(subscriber.publications(), joinedAt, lastAccepted, accepted);
  }

  private static void awaitSequence(TestClient client, long sequence) {
    await("client reached sequence " + sequence).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
        .until(() -> client.publications().stream().anyMatch(frame -> frame.getLong("seq") >= sequence));
  }

  private static void assertContiguous(List<JsonObject> publications, long joinedAt, long lastAccepted,
      Map<Long, String> accepted) {
    List<Long> sequences = publications.stream().map(frame -> frame.getLong("seq")).toList();
    List<Long> expected = new ArrayList<>();
    for (long seq = joinedAt + 1; seq <= lastAccepted; seq++) {
      expected.add(seq);
    }
    assertThat(sequences).as("sequences after %d", joinedAt).isEqualTo(expected);
    for (JsonObject frame : publications) {
      String text = accepted.get(frame.getLong("seq"));
      if (text != null) {
        assertThat(frame.getString("data")).as("payload of sequence %d", frame.getLong("seq")).isEqualTo(text);
      }
    }
  }

  private static void joinAll(List<Thread> threads) {
    for (Thread thread : threads) {
      try {
        thread.join(Duration.ofSeconds(120).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private TestClient connect(int node, String pathAndQuery) {
    TestClient client = TestClient.connectSequenced(vertx, cluster.node(node).httpPort(), pathAndQuery);
    clients.add(client);
    return client;
  }
}
