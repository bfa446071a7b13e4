package io.roomcast.loadgen.run;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
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
 * Reads the nodes' memory: heap in use from each node's {@code /metrics}
 * ({@code jvm_memory_used_bytes} of area {@code heap}), and, for nodes on this machine whose
 * process id is known, the resident set size from {@code /proc/PID/status}.
 *
 * <p>With {@code collectGarbage}, it first runs {@code jcmd PID GC.run} on each known process so
 * that heap figures show live objects rather than garbage not collected yet. Without a process
 * id, heap in use includes garbage, so differences are only rough.
 */
public final class NodeProbe {

  /**
   * One node's memory; -1 where a figure is unknown.
   *
   * @param node the node's address
   * @param heapBytes heap in use
   * @param rssBytes resident set size of the node's process
   * @param connections the node's {@code roomcast_connections} gauge
   */
  public record NodeMemory(String node, long heapBytes, long rssBytes, long connections) {
  }

  private final List<NodeAddress> nodes;
  private final List<Long> pids;
  private final boolean collectGarbage;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public NodeProbe(List<NodeAddress> nodes, List<Long> pids, boolean collectGarbage) {
    this.nodes = List.copyOf(nodes);
    this.pids = List.copyOf(pids);
    this.collectGarbage = collectGarbage;
  }

  /** Returns each node's memory now; a node that does not respond gets -1 figures. */
  public List<NodeMemory> measure() throws InterruptedException {
    List<NodeMemory> result = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      Long pid = i < pids.size() ? pids.get(i) : null;
      if (pid != null && collectGarbage) {
        runGc(pid);
      }
      String metrics = fetchMetrics(nodes.get(i));
      result.add(new NodeMemory(nodes.get(i).toString(), sumMetric(metrics, "jvm_memory_used_bytes{area=\"heap\""),
          pid == null ? -1 : readRss(pid), sumMetric(metrics, "roomcast_connections")));
    }
    return result;
  }

  /**
   * Returns the CPU time all nodes used so far, from their {@code process_cpu_time_ns_total}, or
   * -1 when a node does not report it.
   */
  public long cpuNanos() throws InterruptedException {
    long total = 0;
    for (NodeAddress node : nodes) {
      long nanos = sumMetric(fetchMetrics(node), "process_cpu_time_ns_total");
      if (nanos < 0) {
        return -1;
      }
      total += nanos;
    }
    return total;
  }

  /** Returns the CPU time this JVM, the generator, used so far. */
  public static long generatorCpuNanos() {
    OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
    return bean instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
  }

  /** Returns the sum of a Prometheus metric's samples whose line starts with {@code prefix}; -1 when none. */
  static long sumMetric(String metrics, String prefix) {
    if (metrics == null) {
      return -1;
    }
    double sum = 0;
    boolean found = false;
    for (String line : metrics.split("\n")) {
      if (line.startsWith(prefix) && (line.charAt(prefix.length()) == ' ' || line.charAt(prefix.length()) == '{'
          || line.charAt(prefix.length()) == ',' || line.charAt(prefix.length()) == '}')) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        found = true;
      }
    }
    return found ? (long) sum : -1;
  }

  private String fetchMetrics(NodeAddress node) throws InterruptedException {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(node.http("/metrics"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? response.body() : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static long readRss(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          String[] parts = line.substring("VmRSS:".length()).strip().split("\\s+");
          return Long.parseLong(parts[0]) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  private static void runGc(long pid) throws InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    String command = Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd";
    try {
      Process process = new ProcessBuilder(command, Long.toString(pid), "GC.run")
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException e) {
      // Without jcmd the heap figure includes garbage; the summary still reports it.
    }
  }
}
