package io.roomcast.loadgen;

import io.roomcast.loadgen.run.FrameKind;
import io.roomcast.loadgen.run.LoadRun;
import io.roomcast.loadgen.run.NodeAddress;
import io.roomcast.loadgen.run.RunSettings;
import io.roomcast.loadgen.run.SourceAddresses;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Option;

/** Flags every scenario shares: where to connect, how fast, for how long, and where to write the figures. */
final class CommonOptions {

  static final int MAX_SECONDS = 3600;

  @Option(names = "--url", paramLabel = "URL", split = ",", defaultValue = "http://127.0.0.1:14529",
      description = "Node or load balancer URLs (http://HOST:PORT), comma-separated or repeated. Default: ${DEFAULT-VALUE}.")
  List<String> urls;

  @Option(names = "--source-addresses", paramLabel = "SPEC", defaultValue = "",
      description = "Local IPv4 addresses to connect from, as ranges or a list (127.0.0.2-127.0.0.5,127.0.0.9); "
          + "each address allows about 28,000 connections. Default: the operating system picks.")
  String sourceAddresses;

  @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "10",
      description = "Seconds to measure (publish, or hold idle connections). Default: ${DEFAULT-VALUE}.")
  int durationSeconds;

  @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "0",
      description = "Seconds to publish before measuring; warm-up deliveries are checked but not in the rates. "
          + "Default: ${DEFAULT-VALUE}.")
  int warmupSeconds;

  @Option(names = "--drain-timeout", paramLabel = "SECONDS", defaultValue = "5",
      description = "Seconds without new deliveries after which the run stops waiting for missing ones. "
          + "Default: ${DEFAULT-VALUE}.")
  int drainTimeoutSeconds;

  @Option(names = "--connect-rate", paramLabel = "N", defaultValue = "2000",
      description = "Connections opened per second. Default: ${DEFAULT-VALUE}.")
  int connectRate;

  @Option(names = "--connects-in-flight", paramLabel = "N", defaultValue = "200",
      description = "Handshakes that may be pending at once. Default: ${DEFAULT-VALUE}.")
  int connectsInFlight;

  @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "10",
      description = "Seconds a TCP connect plus WebSocket handshake may take. Default: ${DEFAULT-VALUE}.")
  int connectTimeoutSeconds;

  @Option(names = "--event-loops", paramLabel = "N",
      description = "Event loops of the generator. Default: twice the number of processors.")
  Integer eventLoops;

  @Option(names = "--frame", paramLabel = "TYPE", defaultValue = "text",
      description = "Frame type to publish: text or binary. Default: ${DEFAULT-VALUE}.")
  String frame;

  @Option(names = "--size", paramLabel = "BYTES", defaultValue = "128",
      description = "Payload bytes per publication; at least 52 for text and 24 for binary. Default: ${DEFAULT-VALUE}.")
  int payloadBytes;

  @Option(names = "--json", paramLabel = "FILE",
      description = "File for the summary as JSON. Default: loadgen-SCENARIO.json in the working folder.")
  Path json;

  @Option(names = "--label", paramLabel = "TEXT", defaultValue = "",
      description = "Free text stored in the JSON summary, such as clustered or in-node.")
  String label;

  @Option(names = "--node-pid", paramLabel = "PID", split = ",",
      description = "Process ids of the nodes on this machine, in --url order, to read their resident memory.")
  List<Long> nodePids = new ArrayList<>();

  @Option(names = "--gc", description = "Run jcmd PID GC.run on every --node-pid before each memory reading.")
  boolean collectGarbage;

  @Option(names = "--room-prefix", paramLabel = "TEXT",
      description = "Prefix of the generated room names. Default: loadgen- and 6 random hex digits, new each run.")
  String roomPrefix;

  static int defaultEventLoops() {
    return 2 * Runtime.getRuntime().availableProcessors();
  }

  String roomName(int index) {
    if (roomPrefix == null) {
      byte[] random = new byte[3];
      ThreadLocalRandom.current().nextBytes(random);
      roomPrefix = "loadgen-" + HexFormat.of().formatHex(random);
    }
    return roomPrefix + "-" + index;
  }

  List<NodeAddress> nodes() {
    return urls.stream().map(String::strip).filter(url -> !url.isEmpty()).map(NodeAddress::parse).toList();
  }

  FrameKind frameKind() {
    return switch (frame.toLowerCase()) {
      case "text" -> FrameKind.TEXT;
      case "binary" -> FrameKind.BINARY;
      default -> throw new IllegalArgumentException("invalid --frame '" + frame + "': expected text or binary");
    };
  }

  Path jsonFile(String scenario) {
    return json != null ? json : Path.of("loadgen-" + scenario + ".json");
  }

  RunSettings settings(double ratePerPublisher, int window) {
    checkSeconds("--duration", durationSeconds, 1);
    checkSeconds("--warmup", warmupSeconds, 0);
    checkSeconds("--drain-timeout", drainTimeoutSeconds, 0);
    checkSeconds("--connect-timeout", connectTimeoutSeconds, 1);
    return new RunSettings(frameKind(), payloadBytes, ratePerPublisher, window, Duration.ofSeconds(durationSeconds),
        Duration.ofSeconds(drainTimeoutSeconds), connectRate, connectsInFlight, Duration.ofSeconds(connectTimeoutSeconds));
  }

  LoadRun.Options runOptions(String scenario, RunSettings settings, int httpPublishesPerRoom) {
    int loops = eventLoops != null ? eventLoops : defaultEventLoops();
    return new LoadRun.Options(scenario, label, settings, nodes(), SourceAddresses.parse(sourceAddresses), loops,
        Duration.ofSeconds(warmupSeconds), nodePids, collectGarbage, httpPublishesPerRoom);
  }

  private static void checkSeconds(String flag, int seconds, int lowest) {
    if (seconds < lowest || seconds > MAX_SECONDS) {
      throw new IllegalArgumentException("invalid " + flag + " " + seconds + ": expected " + lowest + " to "
          + MAX_SECONDS + " seconds");
    }
  }
}
