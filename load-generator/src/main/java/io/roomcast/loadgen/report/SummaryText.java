package io.roomcast.loadgen.report;

import io.vertx.core.json.JsonObject;

/** Renders a run's JSON summary as the lines printed at the end of the run. */
public final class SummaryText {

  private SummaryText() {
  }

  public static String render(JsonObject summary) {
    StringBuilder text = new StringBuilder();
    JsonObject connections = summary.getJsonObject("connections");
    JsonObject latency = summary.getJsonObject("latency_ms");
    JsonObject errors = summary.getJsonObject("errors");
    JsonObject memory = summary.getJsonObject("memory");

    line(text, "scenario", summary.getString("scenario")
        + (summary.getString("label").isEmpty() ? "" : " (" + summary.getString("label") + ")"));
    line(text, "connections", String.format("%,d of %,d connected in %.1f s (%,.0f/s), %,d open at the end",
        connections.getLong("connected"), connections.getLong("planned"), connections.getDouble("connect_seconds"),
        connections.getDouble("connects_per_second"), connections.getLong("open_at_end")));
    line(text, "measured", String.format("%.1f s", summary.getDouble("measured_seconds")));
    line(text, "publications/s", String.format("%,.0f (%,d in all; %,d dropped from the schedule)",
        summary.getDouble("publications_per_second"), summary.getLong("publications"),
        summary.getLong("publications_not_sent")));
    line(text, "deliveries/s", String.format("%,.0f (%,d in all)", summary.getDouble("deliveries_per_second"),
        summary.getLong("deliveries")));
    if (latency.getLong("count") > 0) {
      line(text, "latency", String.format("p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms (%,d samples)",
          latency.getDouble("p50"), latency.getDouble("p99"), latency.getDouble("p99_9"), latency.getDouble("max"),
          latency.getLong("count")));
    } else {
      line(text, "latency", "no deliveries measured");
    }
    JsonObject cpu = summary.getJsonObject("cpu_cores_used");
    line(text, "cpu (measured)", String.format("generator %s, nodes %s, of %d processors",
        cores(cpu.getDouble("generator")), cores(cpu.getDouble("nodes")), cpu.getInteger("processors")));
    if (summary.getDouble("node_cpu_us_per_delivery") != null) {
      line(text, "node CPU", String.format("%.2f µs per delivery", summary.getDouble("node_cpu_us_per_delivery")));
    }
    line(text, "errors", String.format("%,d: lost %,d, duplicates %,d, reordered %,d, out of room order %,d,"
            + " invalid %,d, unexpected closes %,d, connect errors %,d",
        errors.getLong("total"), errors.getLong("lost"), errors.getLong("duplicates"), errors.getLong("reordered"),
        errors.getLong("out_of_room_order"), errors.getLong("invalid"), errors.getLong("unexpected_closes"),
        errors.getLong("connect_errors")));
    line(text, "closes by code", summary.getJsonObject("closes_by_code").isEmpty() ? "none"
        : summary.getJsonObject("closes_by_code").encode());
    if (!connections.getJsonObject("connect_error_reasons").isEmpty()) {
      line(text, "connect errors", connections.getJsonObject("connect_error_reasons").encode());
    }
    if (memory.containsKey("heap_delta_bytes")) {
      line(text, "node heap", String.format("%+,d bytes (%s per connection, %s per room)%s",
          memory.getLong("heap_delta_bytes"), bytes(memory.getLong("heap_bytes_per_connection")),
          bytes(memory.getLong("heap_bytes_per_room")),
          memory.getBoolean("gc_before_measuring") ? ", after GC" : ", without GC: includes garbage"));
    }
    if (memory.containsKey("rss_delta_bytes")) {
      line(text, "node RSS", String.format("%+,d bytes (%s per connection, %s per room)",
          memory.getLong("rss_delta_bytes"), bytes(memory.getLong("rss_bytes_per_connection")),
          bytes(memory.getLong("rss_bytes_per_room"))));
    }
    line(text, "result", summary.getBoolean("ok") ? "OK: every delivery checked, no error"
        : "FAILED: see errors above");
    return text.toString();
  }

  private static String cores(Double value) {
    return value == null ? "unknown" : String.format("%.2f cores", value);
  }

  private static String bytes(Long value) {
    return value == null ? "-" : String.format("%,d B", value);
  }

  private static void line(StringBuilder text, String name, String value) {
    text.append(String.format("%-16s %s%n", name + ":", value));
  }
}
