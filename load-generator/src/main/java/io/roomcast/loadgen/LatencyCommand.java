package io.roomcast.loadgen;

import io.roomcast.loadgen.run.LoadRun;
import io.roomcast.loadgen.run.Room;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Publisher and subscribers on different nodes, to measure the cross-node hop. */
@Command(name = "latency", mixinStandardHelpOptions = true, sortOptions = false,
    description = "R rooms, each with one publisher on node i and its subscribers on node i+1 (in --url "
        + "order), so that every delivery crosses the cluster. Use a low --rate to see the hop "
        + "alone, or --rate 0 to find the highest rate the rooms sustain.")
final class LatencyCommand implements Callable<Integer> {

  @Mixin
  CommonOptions common;

  @Option(names = "--rooms", paramLabel = "N", defaultValue = "1",
      description = "Rooms, each with its own publisher. Default: ${DEFAULT-VALUE}.")
  int rooms;

  @Option(names = "--subscribers", paramLabel = "N", defaultValue = "1",
      description = "Subscribers per room. Default: ${DEFAULT-VALUE}.")
  int subscribers;

  @Option(names = "--rate", paramLabel = "PER_SECOND", defaultValue = "100",
      description = "Publications per second of all publishers together; 0 publishes as fast as the rooms "
          + "deliver. Default: ${DEFAULT-VALUE}.")
  double rate;

  @Option(names = "--window", paramLabel = "N", defaultValue = "32",
      description = "With --rate 0: publications per publisher not yet received by its last subscriber. "
          + "Default: ${DEFAULT-VALUE}.")
  int window;

  @Override
  public Integer call() throws Exception {
    Limits.check("--rooms", rooms, 1, 100_000);
    Limits.check("--subscribers", subscribers, 1, 1000);
    Limits.checkRate("--rate", rate);
    int nodes = common.nodes().size();
    if (nodes < 2) {
      System.out.println("latency: only one --url; publisher and subscribers may share a node, so the figures"
          + " need not include a cross-node hop");
    }
    LoadRun run = new LoadRun(common.runOptions("latency",
        common.settings(rate / rooms, rate == 0 ? window : 0), 0), System.out);

    for (int r = 0; r < rooms; r++) {
      Room room = run.addRoom(common.roomName(r));
      room.addPublisher(r % nodes);
      for (int s = 0; s < subscribers; s++) {
        room.addSubscriber((r + 1) % nodes);
      }
    }
    return ScenarioRun.execute(run, common.jsonFile("latency"), System.out);
  }
}
