package io.roomcast.node;

import io.roomcast.config.ConfigLoader;
import io.roomcast.config.InvalidConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Command line of a Roomcast node. Each flag has an environment variable; a flag given on the
 * command line wins over its variable. Exit status: 0 after a clean stop, 1 when the node failed
 * to start, 2 for an invalid flag or configuration.
 */
@Command(
    name = "roomcast-node",
    mixinStandardHelpOptions = true,
    version = "Roomcast 0.1.0",
    sortOptions = false,
    description = "Runs one Roomcast broker node: HTTP and WebSocket API plus an embedded Hazelcast member.",
    footer = "%nEach flag can also be set by the environment variable named in its description.")
public final class Main implements Callable<Integer> {

  static final int EXIT_INVALID = 2;

  @Spec
  private CommandSpec spec;

  @Option(names = "--http-host", paramLabel = "ADDRESS", defaultValue = "${env:ROOMCAST_HTTP_HOST:-0.0.0.0}",
      description = "Address the HTTP server binds to (ROOMCAST_HTTP_HOST). Default: ${DEFAULT-VALUE}.")
  private String httpHost;

  @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "${env:ROOMCAST_HTTP_PORT:-14529}",
      description = "HTTP and WebSocket port; 0 picks a free port (ROOMCAST_HTTP_PORT). Default: ${DEFAULT-VALUE}.")
  private int httpPort;

  @Option(names = "--hz-host", paramLabel = "ADDRESS", defaultValue = "${env:ROOMCAST_HZ_HOST:-127.0.0.1}",
      description = "Address Hazelcast binds to and announces to other members (ROOMCAST_HZ_HOST). "
          + "Default: ${DEFAULT-VALUE}.")
  private String hazelcastHost;

  @Option(names = "--hz-port", paramLabel = "PORT", defaultValue = "${env:ROOMCAST_HZ_PORT:-5701}",
      description = "Hazelcast member port (ROOMCAST_HZ_PORT). Default: ${DEFAULT-VALUE}.")
  private int hazelcastPort;

  @Option(names = "--members", paramLabel = "HOST:PORT[-PORT],...",
      defaultValue = "${env:ROOMCAST_MEMBERS:-127.0.0.1:5701-5703}",
      description = "Hazelcast members to contact when joining (ROOMCAST_MEMBERS). Default: ${DEFAULT-VALUE}.")
  private String members;

  @Option(names = "--cluster-name", paramLabel = "NAME", defaultValue = "${env:ROOMCAST_CLUSTER_NAME:-roomcast}",
      description = "Hazelcast cluster name; nodes join only a cluster of the same name "
          + "(ROOMCAST_CLUSTER_NAME). Default: ${DEFAULT-VALUE}.")
  private String clusterName;

  @Option(names = "--config-dir", paramLabel = "DIR", defaultValue = "${env:ROOMCAST_CONFIG_DIR}",
      description = "Folder with roomcast.yaml, hazelcast.yaml and logback.xml (ROOMCAST_CONFIG_DIR). "
          + "Default: the repository's cluster-config/ next to the jar, else the copies packaged in the jar.")
  private Path configDir;

  @Option(names = "--ping-interval", paramLabel = "SECONDS", defaultValue = "${env:ROOMCAST_PING_INTERVAL}",
      description = "Seconds between WebSocket pings to each client; 0 turns pings off "
          + "(ROOMCAST_PING_INTERVAL). Default: ping-interval-seconds in roomcast.yaml.")
  private Long pingIntervalSeconds;

  @Option(names = "--in-node-fanout", defaultValue = "${env:ROOMCAST_IN_NODE_FANOUT:-false}",
      description = "Benchmarks only: deliver publications to this node's clients without the Hazelcast hop, "
          + "so clients on other nodes receive nothing (ROOMCAST_IN_NODE_FANOUT).")
  private boolean inNodeFanout;

  /** Maps a failure to start onto the exit status: 2 for invalid configuration, else 1. */
  static final CommandLine.IExecutionExceptionHandler EXCEPTION_HANDLER = (failure, cmd, parsed) -> {
    if (failure instanceof InvalidConfigException) {
      cmd.getErr().println("roomcast-node: invalid configuration: " + failure.getMessage());
      return EXIT_INVALID;
    }
    cmd.getErr().println("roomcast-node: failed to start: " + failure);
    failure.printStackTrace(cmd.getErr());
    return 1;
  };

  public static void main(String[] args) {
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.setExecutionExceptionHandler(EXCEPTION_HANDLER);
    int status = commandLine.execute(args);
    if (status != 0) {
      System.exit(status);
    }
  }

  @Override
  public Integer call() {
    NodeOptions options = validate();
    Path folder = options.configDir();
    configureLogging(folder);

    BrokerNode node = BrokerNode.start(options);
    node.stopOnSignals();
    return 0;
  }

  private NodeOptions validate() {
    checkPort("--http-port", httpPort, 0);
    checkPort("--hz-port", hazelcastPort, 1);
    List<String> memberAddresses;
    try {
      memberAddresses = MemberList.parse(members);
    } catch (IllegalArgumentException e) {
      throw invalid("--members", members, e.getMessage());
    }
    if (clusterName.isBlank()) {
      throw invalid("--cluster-name", clusterName, "must not be empty");
    }
    Path folder = configDir != null ? configDir : defaultConfigDir();
    if (configDir != null && !Files.isDirectory(configDir)) {
      throw invalid("--config-dir", configDir.toString(), "not a directory");
    }
    Duration ping = null;
    if (pingIntervalSeconds != null) {
      if (pingIntervalSeconds < 0) {
        throw invalid("--ping-interval", pingIntervalSeconds.toString(), "must be 0 or more seconds");
      }
      ping = Duration.ofSeconds(pingIntervalSeconds);
    }
    return new NodeOptions(httpHost, httpPort, hazelcastHost, hazelcastPort, memberAddresses, clusterName,
        folder, ping, inNodeFanout);
  }

  private void checkPort(String flag, int port, int lowest) {
    if (port < lowest || port > 65535) {
      throw invalid(flag, Integer.toString(port), "expected a port from " + lowest + " to 65535");
    }
  }

  private ParameterException invalid(String flag, String value, String reason) {
    return new ParameterException(spec.commandLine(),
        "Invalid value for option '" + flag + "': '" + value + "': " + reason);
  }

  /** Returns the repository's cluster-config/ when the jar runs from broker-node/target, else the working folder's. */
  private static Path defaultConfigDir() {
    try {
      Path jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path repoConfig = jar.getParent().resolve("../../cluster-config").normalize();
      if (Files.isDirectory(repoConfig)) {
        return repoConfig;
      }
    } catch (Exception e) {
      // Fall through: without a code source location the working folder decides.
    }
    return Path.of("cluster-config");
  }

  // Must run before the first logger is created, so this class has no static logger. Logback
  // reads the property as a file path or, failing that, as a class path resource.
  private static void configureLogging(Path folder) {
    if (System.getProperty("logback.configurationFile") != null) {
      return;
    }
    Path logback = folder.resolve(ConfigLoader.LOGBACK_FILE);
    String location = Files.isRegularFile(logback)
        ? logback.toAbsolutePath().toString()
        : ConfigLoader.PACKAGED_FOLDER + ConfigLoader.LOGBACK_FILE;
    System.setProperty("logback.configurationFile", location);
  }
}
