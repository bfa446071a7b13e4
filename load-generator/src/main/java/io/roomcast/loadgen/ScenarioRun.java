package io.roomcast.loadgen;

import io.roomcast.loadgen.report.SummaryText;
import io.roomcast.loadgen.run.LoadRun;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs a planned {@link LoadRun}, prints its summary, writes its JSON file and maps the outcome to an exit status. */
final class ScenarioRun {

  static final int EXIT_OK = 0;
  static final int EXIT_ERRORS = 1;
  static final int EXIT_FAILED = 3;

  private ScenarioRun() {
  }

  /** Returns 0 when the run found no error, 1 when it found loss, duplicates, closes or connect errors. */
  static int execute(LoadRun run, Path jsonFile, PrintStream out) throws InterruptedException, IOException {
    JsonObject summary = run.run();
    out.println();
    out.print(SummaryText.render(summary));

    Path parent = jsonFile.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(jsonFile, summary.encodePrettily() + "\n");
    out.println("summary written to " + jsonFile);
    return summary.getBoolean("ok") ? EXIT_OK : EXIT_ERRORS;
  }
}
