package io.roomcast.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A Roomcast node started as a separate JVM from the packaged jar, on loopback with its own ports.
 * Its output goes to {@code target/it-logs/<name>.log}.
 */
public final class NodeProcess implements AutoCloseable {

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
  private final int hazelcastPort;
  private final Process process;
  private final Path log;

  private NodeProcess(String name, int httpPort, int hazelcastPort, Process process, Path log) {
    this.name = name;
    this.httpPort = httpPort;
    this.hazelcastPort = hazelcastPort;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts a node and waits until {@code /ready} returns 200.
   *
   * @param extraArgs further command-line flags, such as {@code --config-dir}
   */
  public static NodeProcess start(String name, String clusterName, int hazelcastPort, List<Integer> memberPorts,
      List<String> extraArgs) {
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
    command.addAll(extraArgs);

    try {
      Path logs = Files.createDirectories(Path.of("target", "it-logs"));
      Path log = logs.resolve(name + ".log");
      Process process = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      NodeProcess node = new NodeProcess(name, httpPort, hazelcastPort, process, log);
      node.awaitReady();
      return node;
    } catch (IOException e) {
      throw new IllegalStateException("failed to start node " + name, e);
    }
  }

  /**
   * Returns a port that is free now, from 20000 to 32767. Ports are taken below Linux's default
   * ephemeral range (32768 and up), because a port from that range can become the source port of
   * an outgoing connection before the node binds it.
   */
  public static int freePort() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = random.nextInt(20000, 32768);
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      } catch (IOException e) {
        // Taken: try another.
      }
    }
    throw new IllegalStateException("no free port from 20000 to 32767 after 200 tries");
  }

  public String name() {
    return name;
  }

  public int httpPort() {
    return httpPort;
  }

  public int hazelcastPort() {
    return hazelcastPort;
  }

  public URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + httpPort + pathAndQuery);
  }

  public HttpResponse<String> get(String pathAndQuery) {
    return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET().build());
  }

  public HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(name + ": " + request.method() + " " + request.uri() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Publishes a text message over HTTP and returns the publication's sequence. */
  public long publish(String room, String text) {
    HttpResponse<String> response = send(HttpRequest.newBuilder(
            uri("/api/publish?room=" + java.net.URLEncoder.encode(room, java.nio.charset.StandardCharsets.UTF_8)))
        .header("Content-Type", "text/plain; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString(text)).build());
    if (response.statusCode() != 202) {
      throw new IllegalStateException(name + ": publish returned " + response.statusCode() + " " + response.body());
    }
    return new io.vertx.core.json.JsonObject(response.body()).getLong("seq");
  }

  /** Returns the process id, for signals the JDK can not send. */
  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  /** Sends SIGTERM and returns the exit status. */
  public int stop() {
    process.destroy();
    return waitForExit();
  }

  /** Sends SIGKILL, as a crash would, and returns the exit status. */
  public int kill() {
    process.destroyForcibly();
    return waitForExit();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      waitForExit();
    }
  }

  private int waitForExit() {
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
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
            return HTTP.send(HttpRequest.newBuilder(uri("/ready")).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
          } catch (IOException e) {
            return false;
          }
        });
  }

  private static Path jar() {
    String jar = System.getProperty("roomcast.jar", "target/broker-node.jar");
    Path path = Path.of(jar);
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException("broker jar not found at " + path.toAbsolutePath() + "; run mvn package first");
    }
    return path;
  }
}
