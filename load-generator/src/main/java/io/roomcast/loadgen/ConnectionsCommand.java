package io.roomcast.loadgen;

import io.roomcast.loadgen.run.LoadRun;
import io.roomcast.loadgen.run.Room;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Many idle connections, held, with the nodes' memory per connection. */
@Command(name = "connections", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Opens N idle connections in R rooms at --connect-rate, holds them for --duration, then "
        + "publishes one message per room over HTTP and checks that every connection receives it. "
        + "Reports the nodes' heap, and with --node-pid their resident memory, per connection; add "
        + "--gc for heap without garbage.")
final class ConnectionsCommand implements Callable<Integer> {

  @Mixin
  CommonOptions common;

  @Option(names = "--connections", paramLabel = "N", defaultValue = "10000",
      description = "Connections to open. Default: ${DEFAULT-VALUE}.")
  int connections;

  @Option(names = "--rooms", paramLabel = "N", defaultValue = "100",
      description = "Rooms the connections are spread over. Default: ${DEFAULT-VALUE}.")
  int rooms;

  @Override
  public Integer call() throws Exception {
    Limits.check("--connections", connections, 1, Limits.MAX_CONNECTIONS);
    Limits.check("--rooms", rooms, 1, connections);
    // The settings need a publishing mode; no connection publishes here, so the rate is never used.
    LoadRun run = new LoadRun(common.runOptions("connections", common.settings(1, 0), 1), System.out);

    int nodes = common.nodes().size();
    Room[] planned = new Room[rooms];
    for (int r = 0; r < rooms; r++) {
      planned[r] = run.addRoom(common.roomName(r));
    }
    for (int i = 0; i < connections; i++) {
      planned[i % rooms].addSubscriber(i % nodes);
    }
    return ScenarioRun.execute(run, common.jsonFile("connections"), System.out);
  }
}
