package io.roomcast.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every scenario for a few seconds against two real nodes of one cluster, and checks that
 * the generator delivered, checked and reported without errors. No test asserts a speed.
 */
class ScenarioSmokeIT {

  private static NodeProcess first;
  private static NodeProcess second;

  @TempDir
  Path folder;

  @BeforeAll
  static void startNodes() {
    String cluster = "loadgen-it-" + UUID.randomUUID();
    int firstHazelcast = NodeProcess.freePort();
    int secondHazelcast = NodeProcess.freePort();
    List<Integer> members = List.of(firstHazelcast, secondHazelcast);
    first = NodeProcess.start("loadgen-node1", cluster, firstHazelcast, members);
    second = NodeProcess.start("loadgen-node2", cluster, secondHazelcast, members);
  }

  @AfterAll
  static void stopNodes() throws InterruptedException {
    if (second != null) {
      second.close();
    }
    if (first != null) {
      first.close();
    }
  }

  @Test
  void fanoutAtFixedRate() throws Exception {
    JsonObject summary = run("fanout", "--url", first.url(), "--subscribers", "50", "--publishers", "2",
        "--rate", "200");

    assertNoErrors(summary);
    // Each publication reaches the 50 subscribers and the other publisher.
    assertThat(summary.getLong("deliveries_in_all_phases"))
        .isEqualTo(summary.getLong("publications_in_all_phases") * 51);
  }

  @Test
  void fanoutAsFastAsDelivered() throws Exception {
    JsonObject summary = run("fanout", "--url", first.url(), "--subscribers", "20", "--rate", "0", "--window", "8",
        "--frame", "binary", "--size", "64");

    assertNoErrors(summary);
  }

  @Test
  void chatAcrossTwoNodes() throws Exception {
    JsonObject summary = run("chat", "--url", first.url() + "," + second.url(), "--rooms", "20", "--members", "3",
        "--rate", "5");

    assertNoErrors(summary);
  }

  @Test
  void connectionsReceiveHttpPublish() throws Exception {
    JsonObject summary = run("connections", "--url", first.url(), "--connections", "300", "--rooms", "10",
        "--node-pid", Long.toString(first.pid()));

    assertNoErrors(summary);
    assertThat(summary.getLong("http_publications")).isEqualTo(10);
    assertThat(summary.getLong("expected_deliveries_checked")).isEqualTo(300);
    assertThat(summary.getJsonObject("memory").getLong("rss_bytes_per_connection")).isNotNull();
  }

  @Test
  void latencyCrossesNodes() throws Exception {
    JsonObject summary = run("latency", "--url", first.url() + "," + second.url(), "--rooms", "2",
        "--subscribers", "2", "--rate", "100");

    assertNoErrors(summary);
    assertThat(summary.getJsonObject("latency_ms").getLong("count")).isPositive();
  }

  @Test
  void invalidFlagExitsWithTwo() {
    assertThat(Main.run("fanout", "--subscribers", "0")).isEqualTo(Main.EXIT_INVALID);
    assertThat(Main.run("chat", "--rate", "-1")).isEqualTo(Main.EXIT_INVALID);
  }

  private JsonObject run(String scenario, String... flags) throws Exception {
    Path json = folder.resolve(scenario + ".json");
    List<String> args = new ArrayList<>(List.of(scenario, "--duration", "2", "--drain-timeout", "3",
        "--json", json.toString()));
    args.addAll(List.of(flags));

    int status = Main.run(args.toArray(String[]::new));

    assertThat(Files.exists(json))
        .as("summary file %s after exit status %d; the run's output is in target/failsafe-reports", json, status)
        .isTrue();
    JsonObject summary = new JsonObject(Files.readString(json));
    assertThat(status).as("exit status; summary:%n%s", summary.encodePrettily()).isZero();
    return summary;
  }

  private static void assertNoErrors(JsonObject summary) {
    JsonObject errors = summary.getJsonObject("errors");
    assertThat(errors.getLong("lost")).as("lost").isZero();
    assertThat(errors.getLong("duplicates")).as("duplicates").isZero();
    assertThat(errors.getLong("reordered")).as("reordered").isZero();
    assertThat(errors.getLong("out_of_room_order")).as("out of room order").isZero();
    assertThat(errors.getLong("invalid")).as("invalid").isZero();
    assertThat(errors.getLong("unexpected_closes")).as("unexpected closes").isZero();
    assertThat(errors.getLong("connect_errors")).as("connect errors").isZero();
    assertThat(summary.getLong("deliveries_in_all_phases")).as("deliveries").isPositive();
    assertThat(summary.getBoolean("ok")).as("ok").isTrue();
  }
}
