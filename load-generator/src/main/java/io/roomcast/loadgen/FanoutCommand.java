package io.roomcast.loadgen;

import io.roomcast.loadgen.run.LoadRun;
import io.roomcast.loadgen.run.Room;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** One room, many subscribers, a few publishers. */
@Command(name = "fanout", mixinStandardHelpOptions = true, sortOptions = false,
    description = "One room with N subscribers and P publishers. Publishers send at --rate in total, or, "
        + "with --rate 0, as fast as the room delivers: each keeps at most --window publications "
        + "that the last subscriber has not received yet. Subscribers are spread over the --url "
        + "nodes in turn; publisher i uses node i.")
final class FanoutCommand implements Callable<Integer> {

  @Mixin
  CommonOptions common;

  @Option(names = "--subscribers", paramLabel = "N", defaultValue = "1000",
      description = "Subscribers in the room. Default: ${DEFAULT-VALUE}.")
  int subscribers;

  @Option(names = "--publishers", paramLabel = "N", defaultValue = "1",
      description = "Publishers in the room; each also receives the others' publications. Default: ${DEFAULT-VALUE}.")
  int publishers;

  @Option(names = "--rate", paramLabel = "PER_SECOND", defaultValue = "0",
      description = "Publications per second of all publishers together; 0 publishes as fast as the room "
          + "delivers. Default: ${DEFAULT-VALUE}.")
  double rate;

  @Option(names = "--window", paramLabel = "N", defaultValue = "32",
      description = "With --rate 0: publications per publisher not yet received by the last subscriber. "
          + "Default: ${DEFAULT-VALUE}.")
  int window;

  @Override
  public Integer call() throws Exception {
    Limits.check("--subscribers", subscribers, 1, Limits.MAX_CONNECTIONS);
    Limits.check("--publishers", publishers, 1, 1000);
    Limits.checkRate("--rate", rate);
    LoadRun run = new LoadRun(common.runOptions("fanout",
        common.settings(rate / publishers, rate == 0 ? window : 0), 0), System.out);

    int nodes = common.nodes().size();
    Room room = run.addRoom(common.roomName(0));
    for (int i = 0; i < publishers; i++) {
      room.addPublisher(i % nodes);
    }
    for (int i = 0; i < subscribers; i++) {
      room.addSubscriber(i % nodes);
    }
    return ScenarioRun.execute(run, common.jsonFile("fanout"), System.out);
  }
}
