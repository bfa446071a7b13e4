package io.roomcast.it;

import static java.util.stream.Collectors.counting;
import static java.util.stream.Collectors.groupingBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.roomcast.it.ClusterScript.NodeRow;
import io.roomcast.it.ClusterScript.Result;
import io.roomcast.it.ClusterScript.Status;
import io.roomcast.topic.RoomTopics;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code scripts/cluster.sh} with the real HAProxy: clusters started, scaled up and down while
 * WebSocket clients stay connected through the load balancer, and stopped. Everything listens on
 * 127.0.0.1, on ports that the test checks are free, under cluster names no other run uses.
 *
 * <p>Without HAProxy the tests that need it are skipped, unless the environment variable CI is
 * {@code true}, where they fail instead.
 */
class ClusterScriptIT {

  private static final int MAX_NODES = 5;
  private static final int PING_INTERVAL_SECONDS = 1;
  private static final int TUNNEL_TIMEOUT_SECONDS = 4;
  private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(150);
  /** Response header in which the HAProxy configuration names the node that served a request. */
  private static final String NODE_HEADER = "X-Roomcast-Node";
  private static final Random RANDOM = new Random();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** One WebSocket client of the test room, and the node HAProxy connected it to. */
  private record RoomClient(String label, String node, TestClient webSocket) {

    /** Returns the texts received from {@code round}, in arrival order. */
    List<String> textsOf(String round) {
      return webSocket.texts().stream().filter(text -> text.startsWith(round + "|")).toList();
    }
  }

  private final List<ClusterScript> clusters = new ArrayList<>();
  private final Set<ProcessHandle> startedProcesses = new java.util.HashSet<>();
  private final List<RoomClient> clients = new ArrayList<>();
  private Vertx vertx;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stopClustersAndClients() {
    clients.forEach(client -> client.webSocket().close());
    vertx.close();
    for (ClusterScript cluster : clusters) {
      cluster.run(SCRIPT_TIMEOUT, "down");
    }
    // Only reached when down failed: a process of the test must never outlive it.
    startedProcesses.stream().filter(ClusterScriptIT::isRunning).forEach(ProcessHandle::destroyForcibly);
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void scalesUpAndDownWithClientsConnected() {
    requireHaproxy();
    ClusterScript cluster = newCluster();
    int lbPort = freePortBlock(2 + MAX_NODES);
    int hazelcastPort = freePortBlock(MAX_NODES);

    Result up = cluster.run(SCRIPT_TIMEOUT, "up", "3", "--lb-port", Integer.toString(lbPort),
        "--hz-port", Integer.toString(hazelcastPort), "--max-nodes", Integer.toString(MAX_NODES),
        "--ping-interval", Integer.toString(PING_INTERVAL_SECONDS),
        "--tunnel-timeout", Integer.toString(TUNNEL_TIMEOUT_SECONDS));

    assertSucceeded(up);
    assertThat(up.output()).contains("clients        http://127.0.0.1:" + lbPort);
    assertHealthy(cluster, "node1", "node2", "node3");

    String room = "cluster-script-" + UUID.randomUUID();
    HttpResponse<String> webSocketPath = get(lbPort, "/api/ws?room=" + room);
    assertThat(webSocketPath.statusCode()).isEqualTo(200);
    assertThat(webSocketPath.body()).isEqualTo(RoomTopics.webSocketPath(room));
    String path = webSocketPath.body();

    // Six clients through HAProxy spread over the three nodes.
    List<RoomClient> firstSix = connect(lbPort, path, "first", 6);
    assertThat(firstSix.stream().map(RoomClient::node).distinct().count()).as("nodes of the first six clients")
        .isGreaterThanOrEqualTo(2);
    awaitStatusConnections(cluster, firstSix);
    exchange("up3", firstSix);

    // Idle longer than HAProxy's tunnel timeout: only the nodes' pings keep the WebSockets open.
    await("idle WebSockets stay open past the tunnel timeout")
        .during(Duration.ofSeconds(TUNNEL_TIMEOUT_SECONDS + 2))
        .atMost(Duration.ofSeconds(TUNNEL_TIMEOUT_SECONDS + 10))
        .until(() -> firstSix.stream().noneMatch(client -> client.webSocket().isClosed()));
    exchange("after-idle", firstSix);

    // Scale up: the new nodes join and take the next connections; the open ones stay.
    Result scaleUp = cluster.run(SCRIPT_TIMEOUT, "scale", "5");

    assertSucceeded(scaleUp);
    assertHealthy(cluster, "node1", "node2", "node3", "node4", "node5");
    assertThat(firstSix).noneMatch(client -> client.webSocket().isClosed());
    List<RoomClient> added = connect(lbPort, path, "added", 4);
    assertThat(added).extracting(RoomClient::node).as("nodes of the clients connected after scale 5")
        .containsOnly("node4", "node5");
    awaitStatusConnections(cluster, clients);
    exchange("up5", clients);

    // Scale down while a client on a staying node publishes every 20 ms.
    List<RoomClient> staying = clients.stream().filter(client -> Set.of("node1", "node2").contains(client.node()))
        .toList();
    List<RoomClient> leaving = clients.stream().filter(client -> !staying.contains(client)).toList();
    assertThat(staying).as("clients on node1 and node2").hasSizeGreaterThanOrEqualTo(2);
    assertThat(leaving).as("clients on node3 to node5").isNotEmpty();
    RoomClient publisher = staying.get(0);
    List<String> sentDuringScale = new CopyOnWriteArrayList<>();
    AtomicInteger sequence = new AtomicInteger();
    long timer = vertx.setPeriodic(20, id -> {
      String message = "during-scale|" + sequence.getAndIncrement();
      sentDuringScale.add(message);
      publisher.webSocket().webSocket().writeTextMessage(message);
    });

    Result scaleDown;
    try {
      scaleDown = cluster.run(SCRIPT_TIMEOUT, "scale", "2");
    } finally {
      vertx.cancelTimer(timer);
    }

    assertSucceeded(scaleDown);
    assertThat(scaleDown.output()).contains("stopped node5 node4 node3");
    for (RoomClient client : leaving) {
      assertThat(client.webSocket().awaitClose()).as("close code of %s on %s", client.label(), client.node())
          .isEqualTo((short) 1001);
    }
    assertThat(sentDuringScale).as("messages published during scale 2").hasSizeGreaterThan(10);
    List<RoomClient> receivers = staying.subList(1, staying.size());
    for (RoomClient client : receivers) {
      await(client.label() + " receives every message published during scale 2")
          .atMost(Duration.ofSeconds(30))
          .until(() -> client.textsOf("during-scale").size() >= sentDuringScale.size());
      assertThat(client.textsOf("during-scale")).as("messages %s received during scale 2", client.label())
          .containsExactlyElementsOf(sentDuringScale);
    }
    assertThat(staying).noneMatch(client -> client.webSocket().isClosed());
    assertHealthy(cluster, "node1", "node2");
    assertThat(startedProcesses).as("processes after scale 2")
        .filteredOn(ClusterScriptIT::isRunning)
        .hasSize(3);

    // Clients closed with 1001 reconnect through HAProxy and land on the staying nodes.
    List<RoomClient> reconnected = connect(lbPort, path, "reconnected", leaving.size());
    assertThat(reconnected).extracting(RoomClient::node).containsOnly("node1", "node2");
    List<RoomClient> open = new ArrayList<>(staying);
    open.addAll(reconnected);
    exchange("after-scale-down", open);

    Result down = cluster.run(SCRIPT_TIMEOUT, "down");

    assertSucceeded(down);
    assertThat(startedProcesses).as("processes left after down").noneMatch(ClusterScriptIT::isRunning);
    for (RoomClient client : open) {
      assertThat(client.webSocket().awaitClose()).as("close code of %s at down", client.label())
          .isEqualTo((short) 1001);
    }
    assertThat(acceptsConnections(lbPort)).as("HAProxy port %d after down", lbPort).isFalse();
    Status afterDown = cluster.status();
    assertThat(afterDown.result().exitCode()).isEqualTo(1);
    assertThat(afterDown.result().output()).contains("cluster " + cluster.name() + " is not running");
  }

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void runsTwoClustersSideBySide() {
    requireHaproxy();
    ClusterScript first = newCluster();
    ClusterScript second = newCluster();
    int firstLbPort = freePortBlock(2 + 2);
    int secondLbPort = freePortBlock(2 + 2);

    assertSucceeded(first.run(SCRIPT_TIMEOUT, "up", "1", "--lb-port", Integer.toString(firstLbPort),
        "--hz-port", Integer.toString(freePortBlock(2)), "--max-nodes", "2"));
    assertSucceeded(second.run(SCRIPT_TIMEOUT, "up", "1", "--lb-port", Integer.toString(secondLbPort),
        "--hz-port", Integer.toString(freePortBlock(2)), "--max-nodes", "2"));

    Status firstStatus = assertHealthy(first, "node1");
    Status secondStatus = assertHealthy(second, "node1");
    assertThat(firstStatus.nodes().get(0).members()).isEqualTo("1");
    assertThat(secondStatus.nodes().get(0).members()).isEqualTo("1");
    assertThat(get(firstLbPort, "/api/status").body()).contains("\"clusterName\":\"" + first.name() + "\"");
    assertThat(get(secondLbPort, "/api/status").body()).contains("\"clusterName\":\"" + second.name() + "\"");

    assertSucceeded(first.run(SCRIPT_TIMEOUT, "down"));

    assertThat(isRunning(firstStatus.nodes().get(0).pid())).as("first cluster's node after its down").isFalse();
    assertThat(isRunning(firstStatus.haproxyPid())).as("first cluster's HAProxy after its down").isFalse();
    assertThat(isRunning(secondStatus.nodes().get(0).pid())).as("second cluster's node").isTrue();
    assertThat(isRunning(secondStatus.haproxyPid())).as("second cluster's HAProxy").isTrue();
    assertHealthy(second, "node1");
    assertThat(get(secondLbPort, "/ready").statusCode()).isEqualTo(200);
  }

  @Test
  void upWithoutHaproxyNamesThePackage() {
    ClusterScript cluster = newCluster(Map.of("ROOMCAST_HAPROXY", "/nonexistent/haproxy"));

    Result up = cluster.run(Duration.ofSeconds(30), "up", "1", "--lb-port", Integer.toString(freePortBlock(3)),
        "--hz-port", Integer.toString(freePortBlock(1)), "--max-nodes", "1");

    assertThat(up.exitCode()).isEqualTo(1);
    assertThat(up.output()).contains("/nonexistent/haproxy not found; install HAProxy 2.2 or later")
        .contains("apt-get install haproxy");
  }

  @Test
  void upRejectsTunnelTimeoutBelowTwicePingInterval() {
    ClusterScript cluster = newCluster();

    Result up = cluster.run(Duration.ofSeconds(30), "up", "1", "--ping-interval", "30", "--tunnel-timeout", "60");

    assertThat(up.exitCode()).isEqualTo(1);
    assertThat(up.output()).contains("--tunnel-timeout 60 must exceed twice the ping interval (30 s)");
  }

  private ClusterScript newCluster() {
    return newCluster(Map.of());
  }

  private ClusterScript newCluster(Map<String, String> extraEnvironment) {
    Map<String, String> environment = new TreeMap<>(extraEnvironment);
    // Every node runs the jar this build packaged, so the script never starts a Maven build.
    environment.put("ROOMCAST_JAR", Path.of(System.getProperty("roomcast.jar", "target/broker-node.jar"))
        .toAbsolutePath().toString());
    Path runDir = Path.of("target", "it-clusters").toAbsolutePath();
    String name = "it-" + UUID.randomUUID().toString().substring(0, 8);
    ClusterScript cluster = new ClusterScript(ClusterScript.repository(), runDir, name, environment);
    clusters.add(cluster);
    return cluster;
  }

  /** Asserts that status lists exactly these nodes, each running, ready, seeing all of them and up in HAProxy. */
  private Status assertHealthy(ClusterScript cluster, String... nodes) {
    Status status = cluster.status();
    String output = status.result().output();
    assertThat(status.result().exitCode()).as("status exit code; output:%n%s", output).isZero();
    assertThat(status.haproxyPid()).as("HAProxy pid in status:%n%s", output).isNotNull();
    assertThat(status.nodes()).extracting(NodeRow::node).as(output).containsExactly(nodes);
    for (NodeRow row : status.nodes()) {
      assertThat(row.process()).as("%s process", row.node()).isEqualTo("running");
      assertThat(row.ready()).as("%s readiness", row.node()).isEqualTo("ready");
      assertThat(row.members()).as("%s cluster members", row.node()).isEqualTo(Integer.toString(nodes.length));
      assertThat(row.balancer()).as("%s in HAProxy", row.node()).isEqualTo("UP");
      ProcessHandle.of(row.pid()).ifPresent(startedProcesses::add);
    }
    ProcessHandle.of(status.haproxyPid()).ifPresent(startedProcesses::add);
    return status;
  }

  /** Waits until status reports, per node, as many connections as these clients' node headers name. */
  private void awaitStatusConnections(ClusterScript cluster, List<RoomClient> expectedClients) {
    Map<String, Long> expected = expectedClients.stream()
        .collect(groupingBy(RoomClient::node, TreeMap::new, counting()));
    await("status connections match the clients' " + NODE_HEADER + " headers")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> {
          Map<String, Long> reported = new TreeMap<>();
          for (NodeRow row : cluster.status().nodes()) {
            if (!row.connections().equals("0")) {
              reported.put(row.node(), Long.valueOf(row.connections()));
            }
          }
          assertThat(reported).isEqualTo(expected);
        });
  }

  private List<RoomClient> connect(int lbPort, String path, String labelPrefix, int count) {
    List<RoomClient> connected = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      String label = labelPrefix + i;
      TestClient webSocket = TestClient.connect(vertx, lbPort, path);
      String node = webSocket.webSocket().headers().get(NODE_HEADER);
      RoomClient client = new RoomClient(label, node, webSocket);
      clients.add(client);
      assertThat(node).as("%s header of %s", NODE_HEADER, label).isNotNull();
      connected.add(client);
    }
    return connected;
  }

  /** Has every member send one text, and checks that every other member received exactly those. */
  private static void exchange(String round, List<RoomClient> members) {
    for (RoomClient sender : members) {
      sender.webSocket().sendText(round + "|" + sender.label());
    }

    for (RoomClient receiver : members) {
      List<String> expected = members.stream().filter(sender -> sender != receiver)
          .map(sender -> round + "|" + sender.label()).toList();
      await(receiver.label() + " receives round " + round)
          .atMost(Duration.ofSeconds(30))
          .until(() -> receiver.textsOf(round).size() >= expected.size());
      assertThat(receiver.textsOf(round)).as("round %s at %s on %s", round, receiver.label(), receiver.node())
          .containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  private static void assertSucceeded(Result result) {
    assertThat(result.exitCode()).as("exit code; output:%n%s", result.output()).isZero();
  }

  private static HttpResponse<String> get(int port, String pathAndQuery) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
        .timeout(Duration.ofSeconds(10)).build();
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("GET " + request.uri() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Skips the calling test when HAProxy is not installed, or fails it when CI is true. Looks where
   * scripts/cluster.sh looks: PATH, then /usr/sbin and /usr/local/sbin.
   */
  private static void requireHaproxy() {
    List<Path> folders = new ArrayList<>();
    for (String folder : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!folder.isEmpty()) {
        folders.add(Path.of(folder));
      }
    }
    folders.addAll(List.of(Path.of("/usr/sbin"), Path.of("/usr/local/sbin")));
    boolean installed = folders.stream().anyMatch(folder -> Files.isExecutable(folder.resolve("haproxy")));
    if (installed) {
      return;
    }
    String message = "haproxy not found on PATH, in /usr/sbin or in /usr/local/sbin; install it (Debian: apt-get install haproxy)";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(message + "; CI=true, so this is a failure, not a skip");
    }
    Assumptions.abort(message);
  }

  /** Returns the first port of {@code size} consecutive ports on 127.0.0.1 that nothing listens on. */
  private static int freePortBlock(int size) {
    // Below Linux's default ephemeral range (32768-60999), so outgoing connections do not take the
    // ports between this check and the moment a node binds them.
    for (int attempt = 0; attempt < 200; attempt++) {
      int first = 20000 + RANDOM.nextInt(12000);
      if (IntStream.range(first, first + size).allMatch(ClusterScriptIT::canBind)) {
        return first;
      }
    }
    throw new IllegalStateException("no " + size + " consecutive free ports found in 20000-32000");
  }

  private static boolean canBind(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean acceptsConnections(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean isRunning(Long pid) {
    return pid != null && ProcessHandle.of(pid).map(ClusterScriptIT::isRunning).orElse(false);
  }

  /** Returns whether the process runs; an exited process that waits to be reaped (a zombie) does not. */
  private static boolean isRunning(ProcessHandle process) {
    if (!process.isAlive()) {
      return false;
    }
    Optional<String> stat;
    try {
      stat = Optional.of(Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat")));
    } catch (IOException e) {
      stat = Optional.empty();
    }
    // The state follows the command name in parentheses, which may itself contain spaces.
    return stat.map(text -> text.charAt(text.lastIndexOf(')') + 2) != 'Z').orElse(false);
  }
}
