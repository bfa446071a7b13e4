package io.roomcast.loadgen.report;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Renders JSON summaries as one Markdown table, a row per run. Memory columns appear only for
 * runs that measured memory after a GC in every node; without it the differences mostly show
 * garbage, so those runs get a dash.
 */
public final class MarkdownTable {

  private record Column(String title, Function<JsonObject, String> value) {
  }

  private MarkdownTable() {
  }

  public static String render(List<JsonObject> summaries) {
    List<Column> columns = new ArrayList<>(List.of(
        new Column("run", s -> s.getString("label").isEmpty() ? s.getString("scenario") : s.getString("label")),
        new Column("rooms", s -> count(s.getValue("rooms"))),
        new Column("connections", s -> count(field(s, "connections.open_at_end"))),
        new Column("publications/s", s -> count(s.getValue("publications_per_second"))),
        new Column("deliveries/s", s -> count(s.getValue("deliveries_per_second"))),
        new Column("p50 ms", s -> decimal(field(s, "latency_ms.p50"))),
        new Column("p99 ms", s -> decimal(field(s, "latency_ms.p99"))),
        new Column("p99.9 ms", s -> decimal(field(s, "latency_ms.p99_9"))),
        new Column("max ms", s -> decimal(field(s, "latency_ms.max"))),
        new Column("errors", s -> count(field(s, "errors.total"))),
        new Column("CPU generator / nodes", s -> decimal(field(s, "cpu_cores_used.generator")) + " / "
            + decimal(field(s, "cpu_cores_used.nodes"))),
        new Column("node CPU µs/delivery", s -> decimal(field(s, "node_cpu_us_per_delivery"))),
        new Column("closes by code", s -> s.getJsonObject("closes_by_code").isEmpty() ? "none"
            : s.getJsonObject("closes_by_code").encode().replace("\"", "").replace("|", "/"))));
    addIfPresent(columns, summaries, "heap/connection", "memory.heap_bytes_per_connection");
    addIfPresent(columns, summaries, "heap/room", "memory.heap_bytes_per_room");
    addIfPresent(columns, summaries, "RSS/connection", "memory.rss_bytes_per_connection");
    addIfPresent(columns, summaries, "RSS/room", "memory.rss_bytes_per_room");

    StringBuilder table = new StringBuilder("|");
    StringBuilder rule = new StringBuilder("|");
    for (Column column : columns) {
      table.append(' ').append(column.title()).append(" |");
      rule.append(column.title().equals("run") || column.title().equals("closes by code") ? " --- |" : " ---: |");
    }
    table.append('\n').append(rule).append('\n');
    for (JsonObject summary : summaries) {
      table.append('|');
      for (Column column : columns) {
        table.append(' ').append(column.value().apply(summary)).append(" |");
      }
      table.append('\n');
    }
    return table.toString();
  }

  /**
   * Returns the value at a dotted path such as {@code latency_ms.p99} or {@code memory.after.0.heap_bytes}
   * (a number selects an array element), or null when a step is missing.
   */
  public static Object field(JsonObject summary, String path) {
    Object value = summary;
    for (String step : path.split("\\.")) {
      if (value instanceof JsonObject object && object.containsKey(step)) {
        value = object.getValue(step);
      } else if (value instanceof JsonArray array && step.matches("\\d+") && Integer.parseInt(step) < array.size()) {
        value = array.getValue(Integer.parseInt(step));
      } else {
        return null;
      }
    }
    return value;
  }

  private static void addIfPresent(List<Column> columns, List<JsonObject> summaries, String title, String path) {
    if (summaries.stream().anyMatch(s -> afterGc(s) && field(s, path) != null)) {
      columns.add(new Column(title, s -> afterGc(s) ? bytes(field(s, path)) : "-"));
    }
  }

  private static boolean afterGc(JsonObject summary) {
    return Boolean.TRUE.equals(field(summary, "memory.gc_before_measuring"));
  }

  private static String count(Object value) {
    return value instanceof Number number ? String.format("%,.0f", number.doubleValue()) : "-";
  }

  private static String decimal(Object value) {
    return value instanceof Number number ? String.format("%.2f", number.doubleValue()) : "-";
  }

  private static String bytes(Object value) {
    return value instanceof Number number ? String.format("%,d B", number.longValue()) : "-";
  }
}
