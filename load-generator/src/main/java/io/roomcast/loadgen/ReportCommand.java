package io.roomcast.loadgen;

import io.roomcast.loadgen.report.JfrSummary;
import io.roomcast.loadgen.report.MarkdownTable;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Reads JSON summaries back, for scripts that assemble benchmark reports. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Reads JSON summaries written by the scenarios.",
    subcommands = {ReportCommand.Table.class, ReportCommand.Value.class, ReportCommand.Ratio.class,
        ReportCommand.Profile.class})
final class ReportCommand {

  @Command(name = "table", mixinStandardHelpOptions = true,
      description = "Prints a Markdown table with one row per summary file.")
  static final class Table implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "JSON summaries.")
    List<Path> files;

    @Override
    public Integer call() throws IOException {
      List<JsonObject> summaries = new ArrayList<>();
      for (Path file : files) {
        summaries.add(read(file));
      }
      System.out.print(MarkdownTable.render(summaries));
      return 0;
    }
  }

  @Command(name = "value", mixinStandardHelpOptions = true,
      description = "Prints one field of a summary, such as latency_ms.p99 or deliveries_per_second.")
  static final class Value implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FIELD", description = "Dotted path of the field.")
    String field;

    @Parameters(index = "1", paramLabel = "FILE", description = "JSON summary.")
    Path file;

    @Override
    public Integer call() throws IOException {
      System.out.println(MarkdownTable.field(read(file), field));
      return 0;
    }
  }

  @Command(name = "ratio", mixinStandardHelpOptions = true,
      description = "Prints FIELD of the first summary divided by FIELD of the second, to three decimals.")
  static final class Ratio implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FIELD", description = "Dotted path of a numeric field.")
    String field;

    @Parameters(index = "1", paramLabel = "NUMERATOR", description = "JSON summary, such as the clustered run.")
    Path numerator;

    @Parameters(index = "2", paramLabel = "DENOMINATOR", description = "JSON summary, such as the in-node run.")
    Path denominator;

    @Override
    public Integer call() throws IOException {
      double top = number(numerator, field);
      double bottom = number(denominator, field);
      if (bottom == 0) {
        throw new IllegalArgumentException(field + " is 0 in " + denominator + "; no ratio");
      }
      System.out.printf("%.3f%n", top / bottom);
      return 0;
    }
  }

  @Command(name = "profile", mixinStandardHelpOptions = true,
      description = "Summarizes a JDK Flight Recorder file of a node as Markdown: CPU samples, allocation, "
          + "contended monitors, socket writes and GC.")
  static final class Profile implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "The .jfr recording.")
    Path recording;

    @Option(names = "--deliveries", paramLabel = "N", defaultValue = "0",
        description = "Deliveries the node made during the recording, for per-delivery figures.")
    long deliveries;

    @Option(names = "--top", paramLabel = "N", defaultValue = "15", description = "Rows per table. Default: ${DEFAULT-VALUE}.")
    int top;

    @Override
    public Integer call() throws IOException {
      System.out.print(JfrSummary.render(recording, deliveries, top));
      return 0;
    }
  }

  static JsonObject read(Path file) throws IOException {
    try {
      return new JsonObject(Files.readString(file));
    } catch (io.vertx.core.json.DecodeException e) {
      throw new IllegalArgumentException("invalid JSON summary " + file + ": " + e.getMessage(), e);
    }
  }

  private static double number(Path file, String field) throws IOException {
    Object value = MarkdownTable.field(read(file), field);
    if (!(value instanceof Number number)) {
      throw new IllegalArgumentException("field " + field + " of " + file + " is not a number: " + value);
    }
    return number.doubleValue();
  }
}
