package io.roomcast.it;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code scripts/cluster.sh} for one cluster name in a run folder under {@code target}, and
 * parses the table that its {@code status} command prints. Every run's output also goes to
 * {@code target/it-logs/<cluster>-<run>-<command>.log}.
 */
final class ClusterScript {

  /** Exit status and combined output of one run. */
  record Result(int exitCode, String output) {}

  /** One row of the status table, as printed. */
  record NodeRow(String node, long pid, String process, String http, String ready, String members,
      String connections, String balancer) {}

  /** What {@code status} printed: HAProxy's pid when it runs, and one row per node. */
  record Status(Result result, Long haproxyPid, List<NodeRow> nodes) {}

  private static final Pattern HAPROXY_LINE = Pattern.compile("^HAProxy: running, pid (\\d+),", Pattern.MULTILINE);

  private final Path script;
  private final Path runDir;
  private final String name;
  private final Map<String, String> environment;
  private int runs;

  ClusterScript(Path repo, Path runDir, String name, Map<String, String> environment) {
    this.script = repo.resolve("scripts/cluster.sh");
    this.runDir = runDir;
    this.name = name;
    this.environment = Map.copyOf(environment);
  }

  /** Returns the repository root, from the working folder Failsafe runs in ({@code broker-node}). */
  static Path repository() {
    Path repo = Path.of("").toAbsolutePath().getParent();
    if (repo == null || !Files.isExecutable(repo.resolve("scripts/cluster.sh"))) {
      throw new IllegalStateException("scripts/cluster.sh not found above " + Path.of("").toAbsolutePath());
    }
    return repo;
  }

  String name() {
    return name;
  }

  /** Runs the script with {@code --name} and {@code --run-dir} added, and fails the test after {@code timeout}. */
  Result run(Duration timeout, String... arguments) {
    List<String> command = new ArrayList<>(List.of(script.toString()));
    command.addAll(List.of(arguments));
    command.addAll(List.of("--name", name, "--run-dir", runDir.toString()));
    runs++;
    try {
      Path logs = Files.createDirectories(Path.of("target", "it-logs"));
      Path log = logs.resolve(name + "-" + runs + "-" + arguments[0] + ".log");
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().putAll(environment);
      Process process = builder.start();
      if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        fail("%s did not finish within %s; output so far:%n%s", command, timeout, Files.readString(log));
      }
      return new Result(process.exitValue(), Files.readString(log));
    } catch (IOException e) {
      throw new IllegalStateException("failed to run " + command + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs {@code status} and parses its output; the exit status stays in the result for the caller to check. */
  Status status() {
    Result result = run(Duration.ofSeconds(60), "status");
    Matcher haproxy = HAPROXY_LINE.matcher(result.output());
    Long haproxyPid = haproxy.find() ? Long.valueOf(haproxy.group(1)) : null;

    List<NodeRow> nodes = new ArrayList<>();
    for (String line : result.output().split("\n")) {
      if (!line.matches("node\\d+\\s.*")) {
        continue;
      }
      String[] columns = line.trim().split("\\s+");
      if (columns.length != 9) {
        fail("status line with %d columns instead of 9: '%s'", columns.length, line);
      }
      nodes.add(new NodeRow(columns[0], Long.parseLong(columns[1]), columns[2], columns[3], columns[5], columns[6],
          columns[7], columns[8]));
    }
    return new Status(result, haproxyPid, nodes);
  }
}
