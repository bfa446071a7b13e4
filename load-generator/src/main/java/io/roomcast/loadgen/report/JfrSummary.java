package io.roomcast.loadgen.report;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarizes a JDK Flight Recorder file of a node under load as Markdown. It lists where the CPU
 * samples fall (by leaf method, and by method anywhere on the stack), what allocates, which
 * monitors were contended, how many socket writes ran, and garbage collection.
 *
 * <p>Per-delivery figures divide by the deliveries the caller counted during the recording.
 * Allocation per thread comes from {@code jdk.ThreadAllocationStatistics} (exact bytes, first and
 * last reading per thread); allocation sites come from {@code jdk.ObjectAllocationSample}, whose
 * weights are estimates.
 */
public final class JfrSummary {

  private final Map<String, Long> leafSamples = new HashMap<>();
  private final Map<String, Long> inclusiveSamples = new HashMap<>();
  private final Map<String, Long> allocationByClass = new HashMap<>();
  private final Map<String, Long> allocationBySite = new HashMap<>();
  private final Map<String, long[]> threadAllocation = new HashMap<>();
  private final Map<String, Long> monitorWaits = new HashMap<>();
  private final Map<String, Long> monitorNanos = new HashMap<>();
  private long samples;
  private long socketWrites;
  private long socketWriteBytes;
  private long gcCount;
  private Duration gcPause = Duration.ZERO;

  private JfrSummary() {
  }

  /** Reads a recording and renders its summary; {@code deliveries} may be 0 when unknown. */
  public static String render(Path recording, long deliveries, int top) throws IOException {
    JfrSummary summary = new JfrSummary();
    for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
      summary.handle(event);
    }
    return summary.toMarkdown(deliveries, top);
  }

  private void handle(RecordedEvent event) {
    switch (event.getEventType().getName()) {
      case "jdk.ExecutionSample" -> handleSample(event.getStackTrace());
      case "jdk.ObjectAllocationSample" -> handleAllocation(event);
      case "jdk.ThreadAllocationStatistics" -> handleThreadAllocation(event);
      case "jdk.JavaMonitorEnter" -> handleMonitor(event);
      case "jdk.SocketWrite" -> {
        socketWrites++;
        socketWriteBytes += event.getLong("bytesWritten");
      }
      case "jdk.GarbageCollection" -> {
        gcCount++;
        gcPause = gcPause.plus(event.getDuration("sumOfPauses"));
      }
      default -> {
      }
    }
  }

  private void handleSample(RecordedStackTrace stack) {
    if (stack == null || stack.getFrames().isEmpty()) {
      return;
    }
    samples++;
    List<RecordedFrame> frames = stack.getFrames();
    leafSamples.merge(method(frames.get(0)), 1L, Long::sum);
    // Count each method once per sample, however often it recurs in the stack.
    Set<String> seen = new HashSet<>();
    for (RecordedFrame frame : frames) {
      String method = method(frame);
      if (seen.add(method)) {
        inclusiveSamples.merge(method, 1L, Long::sum);
      }
    }
  }

  private void handleAllocation(RecordedEvent event) {
    long weight = event.getLong("weight");
    String type = event.getClass("objectClass").getName();
    allocationByClass.merge(type, weight, Long::sum);
    RecordedStackTrace stack = event.getStackTrace();
    if (stack != null) {
      allocationBySite.merge(type + " in " + firstApplicationFrame(stack.getFrames()), weight, Long::sum);
    }
  }

  private void handleThreadAllocation(RecordedEvent event) {
    RecordedThread thread = event.getThread("thread");
    if (thread == null) {
      return;
    }
    String name = threadGroupName(thread.getJavaName());
    long allocated = event.getLong("allocated");
    long[] range = threadAllocation.computeIfAbsent(name + "#" + thread.getJavaThreadId(),
        key -> new long[] {allocated, allocated});
    range[0] = Math.min(range[0], allocated);
    range[1] = Math.max(range[1], allocated);
  }

  private void handleMonitor(RecordedEvent event) {
    String key = event.getClass("monitorClass").getName();
    RecordedStackTrace stack = event.getStackTrace();
    if (stack != null) {
      key += " in " + firstApplicationFrame(stack.getFrames());
    }
    monitorWaits.merge(key, 1L, Long::sum);
    monitorNanos.merge(key, event.getDuration().toNanos(), Long::sum);
  }

  private String toMarkdown(long deliveries, int top) {
    StringBuilder text = new StringBuilder();
    text.append(String.format("CPU samples: %,d. Socket writes recorded: %,d (%,d bytes). GC: %,d collections,"
        + " %,d ms of pauses.%n%n", samples, socketWrites, socketWriteBytes, gcCount, gcPause.toMillis()));

    text.append("Hottest methods by own samples (the leaf frame):\n\n");
    table(text, "method", "samples", "share", leafSamples, samples, top);
    text.append("\nMethods by samples anywhere on the stack, without thread and event loop entry points:\n\n");
    Map<String, Long> inclusive = new HashMap<>(inclusiveSamples);
    inclusive.keySet().removeIf(JfrSummary::isEntryPoint);
    table(text, "method", "samples", "share", inclusive, samples, top);

    Map<String, Long> allocationByThreadGroup = new HashMap<>();
    threadAllocation.forEach((thread, range) ->
        allocationByThreadGroup.merge(thread.substring(0, thread.lastIndexOf('#')), range[1] - range[0], Long::sum));
    long allocated = allocationByThreadGroup.values().stream().mapToLong(Long::longValue).sum();
    text.append(String.format("%nBytes allocated during the recording: %,d", allocated));
    if (deliveries > 0) {
      text.append(String.format(", %,.0f per delivery over %,d deliveries", (double) allocated / deliveries, deliveries));
    }
    text.append(".\n\nAllocation by thread group (exact, from thread allocation statistics):\n\n");
    table(text, "threads", "bytes", "share", allocationByThreadGroup, allocated, top);

    long sampledWeight = allocationByClass.values().stream().mapToLong(Long::longValue).sum();
    text.append("\nAllocated types (sampled weights, estimates):\n\n");
    table(text, "type", "bytes", "share", allocationByClass, sampledWeight, top);
    text.append("\nAllocation sites (type, and the first frame outside the JDK):\n\n");
    table(text, "site", "bytes", "share", allocationBySite, sampledWeight, top);

    if (!monitorWaits.isEmpty()) {
      text.append("\nContended monitors (recorded above the threshold):\n\n");
      Map<String, Long> millis = new LinkedHashMap<>();
      monitorNanos.forEach((key, nanos) -> millis.put(key + " (" + monitorWaits.get(key) + " waits)", nanos / 1_000_000));
      table(text, "monitor", "ms blocked", "share", millis, millis.values().stream().mapToLong(Long::longValue).sum(), top);
    } else {
      text.append("\nNo contended monitor was recorded.\n");
    }
    return text.toString();
  }

  private static void table(StringBuilder text, String name, String unit, String share, Map<String, Long> values,
      long total, int top) {
    text.append("| ").append(name).append(" | ").append(unit).append(" | ").append(share).append(" |\n");
    text.append("| --- | ---: | ---: |\n");
    values.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(top)
        .forEach(entry -> text.append(String.format("| `%s` | %,d | %.1f%% |%n", entry.getKey().replace("|", "/"),
            entry.getValue(), total == 0 ? 0.0 : 100.0 * entry.getValue() / total)));
  }

  // Frames that sit under nearly every sample of a thread and show nothing of the work done.
  private static boolean isEntryPoint(String method) {
    return method.equals("java.lang.Thread.run")
        || method.startsWith("io.netty.util.concurrent.")
        || method.startsWith("io.netty.util.internal.ThreadExecutorMap")
        || method.startsWith("io.netty.channel.SingleThreadIoEventLoop.")
        || method.startsWith("io.netty.channel.nio.NioIoHandler.run");
  }

  private static String method(RecordedFrame frame) {
    return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
  }

  private static String firstApplicationFrame(List<RecordedFrame> frames) {
    for (RecordedFrame frame : frames) {
      String type = frame.getMethod().getType().getName();
      if (!type.startsWith("java.") && !type.startsWith("jdk.") && !type.startsWith("sun.")) {
        return method(frame);
      }
    }
    return frames.isEmpty() ? "(no stack)" : method(frames.get(0));
  }

  // Thread names end in a number per thread (vert.x-eventloop-thread-3); group them without it.
  private static String threadGroupName(String name) {
    return name == null ? "(unnamed)" : name.replaceAll("[-.#]?\\d+$", "").replaceAll("\\d+", "N");
  }
}
