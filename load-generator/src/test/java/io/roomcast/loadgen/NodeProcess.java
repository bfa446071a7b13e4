package io.roomcast.loadgen;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Roomcast node started from the broker jar as a separate JVM on loopback, with free ports.
 * Its output goes to {@code target/it-logs/<name>.log}.
 */
final class NodeProcess implements AutoCloseable {

  private static final List<String> HAZELCAST_FLAGS = List.of(
      "--add-modules", "java.se",
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final int httpPort;
  private final Process process;
  private final Path log;

  private NodeProcess(String name, int httpPort, Process process, Path log) {
    this.name = name;
    this.httpPort = httpPort;
    this.process = process;
    this.log = log;
  }

  /** Starts a node that joins the members at {@code memberPorts}, and waits until {@code /ready} returns 200. */
  static NodeProcess start(String name, String clusterName, int hazelcastPort, List<Integer> memberPorts) {
    int httpPort = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(HAZELCAST_FLAGS);
    command.add("-Xmx512m");
    command.addAll(List.of("-jar", jar().toString(),
        "--http-host", "127.0.0.1",
        "--http-port", Integer.toString(httpPort),
        "--hz-host", "127.0.0.1",
        "--hz-port", Integer.toString(hazelcastPort),
        "--members", String.join(",", memberPorts.stream().map(port -> "127.0.0.1:" + port).toList()),
        "--cluster-name", clusterName));
    String configDir = System.getProperty("roomcast.configDir");
    if (configDir != null) {
      command.addAll(List.of("--config-dir", configDir));
    }

    try {
      Path log = Files.createDirectories(Path.of("target", "it-logs")).resolve(name + ".log");
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      NodeProcess node = new NodeProcess(name, httpPort, process, log);
      node.awaitReady();
      return node;
    } catch (IOException e) {
      throw new IllegalStateException("failed to start node " + name + ": " + e, e);
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port: " + e, e);
    }
  }

  String url() {
    return "http://127.0.0.1:" + httpPort;
  }

  long pid() {
    return process.pid();
  }

  String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private void awaitReady() {
    await("node " + name + " ready")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> {
          if (!process.isAlive()) {
            throw new IllegalStateException("node " + name + " exited with " + process.exitValue() + ":\n" + logText());
          }
          try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/ready")).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
          } catch (IOException e) {
            return false;
          }
        });
  }

  private static Path jar() {
    Path path = Path.of(System.getProperty("roomcast.jar", "../broker-node/target/broker-node.jar"));
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException("broker jar not found at " + path.toAbsolutePath()
          + "; build it first with mvn -pl broker-node -am package");
    }
    return path;
  }
}
