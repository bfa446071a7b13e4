package io.roomcast.loadgen;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Command line of the Roomcast load generator. Exit status: 0 when the run found no error, and 1
 * when it found lost, duplicate or reordered deliveries, unexpected closes or connect errors. 2
 * means an invalid flag, and 3 a run that could not be carried out (for example, no node responded).
 */
@Command(
    name = "loadgen",
    mixinStandardHelpOptions = true,
    version = "Roomcast load generator 0.1.0",
    description = "Runs a load scenario against Roomcast nodes and checks every delivery.",
    subcommands = {
        FanoutCommand.class,
        ChatCommand.class,
        ConnectionsCommand.class,
        LatencyCommand.class,
        MemoryCommand.class,
        ReportCommand.class})
public final class Main {

  static final int EXIT_INVALID = 2;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit status; used by {@link #main} and by tests. */
  public static int run(String... args) {
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.setExecutionExceptionHandler((failure, cmd, parsed) -> {
      if (failure instanceof IllegalArgumentException) {
        cmd.getErr().println("loadgen: " + failure.getMessage());
        return EXIT_INVALID;
      }
      cmd.getErr().println("loadgen: run failed: " + failure);
      return ScenarioRun.EXIT_FAILED;
    });
    return commandLine.execute(args);
  }
}
