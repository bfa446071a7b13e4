package io.roomcast.loadgen.run;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.HdrHistogram.Histogram;

/**
 * The figures of one finished run, as the JSON document the generator writes. Rates count the
 * measured phase only; latency counts the measured and drain phases; errors count the whole run.
 */
final class Summary {

  private final LoadRun.Options options;
  private final int rooms;
  private final int plannedConnections;
  private final long connected;
  private final double connectSeconds;
  private final Map<String, Long> connectErrors;
  private final Totals totals;
  private final Worker.Check check;
  private final long outOfRoomOrder;
  private final long httpPublished;
  private final List<NodeProbe.NodeMemory> memoryBefore;
  private final List<NodeProbe.NodeMemory> memoryAfter;
  private final CpuUse cpu;

  Summary(LoadRun.Options options, int rooms, int plannedConnections, long connected, double connectSeconds,
      Map<String, Long> connectErrors, Totals totals, Worker.Check check, long outOfRoomOrder, long httpPublished,
      List<NodeProbe.NodeMemory> memoryBefore, List<NodeProbe.NodeMemory> memoryAfter, CpuUse cpu) {
    this.options = options;
    this.rooms = rooms;
    this.plannedConnections = plannedConnections;
    this.connected = connected;
    this.connectSeconds = connectSeconds;
    this.connectErrors = connectErrors;
    this.totals = totals;
    this.check = check;
    this.outOfRoomOrder = outOfRoomOrder;
    this.httpPublished = httpPublished;
    this.memoryBefore = memoryBefore;
    this.memoryAfter = memoryAfter;
    this.cpu = cpu;
  }

  JsonObject toJson() {
    Totals.PhaseCounts measured = totals.phase(Phase.MEASURE);
    long connectErrorCount = connectErrors.values().stream().mapToLong(Long::longValue).sum();
    long lost = totals.lost() + check.missing();
    long errors = lost + totals.duplicates() + totals.reordered() + outOfRoomOrder + totals.invalid()
        + totals.closeCount() + connectErrorCount;

    return new JsonObject()
        .put("scenario", options.scenario())
        .put("label", options.label())
        .put("finished", Instant.now().toString())
        .put("settings", settings())
        .put("nodes", new JsonArray(options.nodes().stream().map(NodeAddress::toString).toList()))
        .put("source_addresses", new JsonArray(options.sourceAddresses()))
        .put("rooms", rooms)
        .put("connections", new JsonObject()
            .put("planned", plannedConnections)
            .put("connected", connected)
            .put("open_at_end", check.open())
            .put("connect_seconds", round(connectSeconds))
            .put("connects_per_second", round(connected / Math.max(connectSeconds, 1e-9)))
            .put("connect_errors", connectErrorCount)
            .put("connect_error_reasons", new JsonObject(Map.copyOf(connectErrors))))
        .put("measured_seconds", round(measured.seconds()))
        .put("publications", measured.publications())
        .put("publications_per_second", round(measured.publications() / Math.max(measured.seconds(), 1e-9)))
        .put("publications_not_sent", measured.notSent() + totals.phase(Phase.WARMUP).notSent())
        .put("http_publications", httpPublished)
        .put("deliveries", measured.deliveries())
        .put("deliveries_per_second", round(measured.deliveries() / Math.max(measured.seconds(), 1e-9)))
        .put("publications_in_all_phases", totals.publicationsInAllPhases())
        .put("deliveries_in_all_phases", totals.deliveriesInAllPhases())
        .put("expected_deliveries_checked", check.expected())
        .put("latency_ms", latency(totals.measuredLatency()))
        .put("errors", new JsonObject()
            .put("lost", lost)
            .put("duplicates", totals.duplicates())
            .put("reordered", totals.reordered())
            .put("out_of_room_order", outOfRoomOrder)
            .put("invalid", totals.invalid())
            .put("unexpected_closes", totals.closeCount())
            .put("connect_errors", connectErrorCount)
            .put("total", errors))
        .put("closes_by_code", closesByCode())
        .put("cpu_cores_used", cpu.toJson())
        .put("node_cpu_us_per_delivery", cpu.nodeMicrosPer(measured.deliveries()))
        .put("memory", memory())
        .put("ok", errors == 0 && connected > 0);
  }

  private JsonObject settings() {
    RunSettings settings = options.settings();
    return new JsonObject()
        .put("frame", settings.frameKind().name().toLowerCase())
        .put("payload_bytes", settings.payloadBytes())
        .put("rate_per_publisher", settings.ratePerPublisher())
        .put("window", settings.window())
        .put("warmup_seconds", options.warmup().toMillis() / 1000.0)
        .put("duration_seconds", settings.duration().toMillis() / 1000.0)
        .put("drain_timeout_seconds", settings.drainTimeout().toMillis() / 1000.0)
        .put("connect_rate", settings.connectRate())
        .put("connects_in_flight", settings.connectsInFlight())
        .put("event_loops", options.eventLoops());
  }

  private JsonObject closesByCode() {
    JsonObject closes = new JsonObject();
    totals.closes().forEach((code, count) -> closes.put(Integer.toString(code), count));
    return closes;
  }

  private JsonObject memory() {
    long heapBefore = sum(memoryBefore, NodeProbe.NodeMemory::heapBytes);
    long heapAfter = sum(memoryAfter, NodeProbe.NodeMemory::heapBytes);
    long rssBefore = sum(memoryBefore, NodeProbe.NodeMemory::rssBytes);
    long rssAfter = sum(memoryAfter, NodeProbe.NodeMemory::rssBytes);
    JsonObject memory = new JsonObject()
        .put("gc_before_measuring", options.collectGarbage() && !options.nodePids().isEmpty())
        .put("before", nodes(memoryBefore))
        .put("after", nodes(memoryAfter));
    if (heapBefore >= 0 && heapAfter >= 0) {
      long delta = heapAfter - heapBefore;
      memory.put("heap_delta_bytes", delta)
          .put("heap_bytes_per_connection", perItem(delta, check.open()))
          .put("heap_bytes_per_room", perItem(delta, rooms));
    }
    if (rssBefore >= 0 && rssAfter >= 0) {
      long delta = rssAfter - rssBefore;
      memory.put("rss_delta_bytes", delta)
          .put("rss_bytes_per_connection", perItem(delta, check.open()))
          .put("rss_bytes_per_room", perItem(delta, rooms));
    }
    return memory;
  }

  private static JsonArray nodes(List<NodeProbe.NodeMemory> memory) {
    JsonArray nodes = new JsonArray();
    for (NodeProbe.NodeMemory node : memory) {
      nodes.add(new JsonObject()
          .put("node", node.node())
          .put("heap_bytes", node.heapBytes())
          .put("rss_bytes", node.rssBytes())
          .put("connections", node.connections()));
    }
    return nodes;
  }

  // Returns -1 when any node's figure is unknown, so a partial sum is never reported as a total.
  private static long sum(List<NodeProbe.NodeMemory> memory, ToLongFunction<NodeProbe.NodeMemory> field) {
    long sum = 0;
    for (NodeProbe.NodeMemory node : memory) {
      long value = field.applyAsLong(node);
      if (value < 0) {
        return -1;
      }
      sum += value;
    }
    return memory.isEmpty() ? -1 : sum;
  }

  private static Long perItem(long bytes, long items) {
    return items == 0 ? null : bytes / items;
  }

  static JsonObject latency(Histogram histogram) {
    if (histogram.getTotalCount() == 0) {
      return new JsonObject().put("count", 0);
    }
    return new JsonObject()
        .put("count", histogram.getTotalCount())
        .put("p50", millis(histogram.getValueAtPercentile(50)))
        .put("p90", millis(histogram.getValueAtPercentile(90)))
        .put("p99", millis(histogram.getValueAtPercentile(99)))
        .put("p99_9", millis(histogram.getValueAtPercentile(99.9)))
        .put("max", millis(histogram.getMaxValue()))
        .put("mean", round(histogram.getMean() / 1e6));
  }

  private static double millis(long nanos) {
    return Math.round(nanos / 1e3) / 1e3;
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
