package io.roomcast.loadgen;

import io.roomcast.loadgen.run.LoadRun;
import io.roomcast.loadgen.run.Room;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Many rooms of a few members, every member publishing. */
@Command(name = "chat", mixinStandardHelpOptions = true, sortOptions = false,
    description = "R rooms of M members; every member publishes at --rate and receives the others' "
        + "publications. Members are spread over the --url nodes in turn, so a room's members sit "
        + "on different nodes.")
final class ChatCommand implements Callable<Integer> {

  @Mixin
  CommonOptions common;

  @Option(names = "--rooms", paramLabel = "N", defaultValue = "100",
      description = "Rooms. Default: ${DEFAULT-VALUE}.")
  int rooms;

  @Option(names = "--members", paramLabel = "N", defaultValue = "5",
      description = "Members per room. Default: ${DEFAULT-VALUE}.")
  int members;

  @Option(names = "--rate", paramLabel = "PER_SECOND", defaultValue = "1",
      description = "Publications per second of each member. Default: ${DEFAULT-VALUE}.")
  double rate;

  @Override
  public Integer call() throws Exception {
    Limits.check("--rooms", rooms, 1, Limits.MAX_CONNECTIONS);
    Limits.check("--members", members, 2, 1000);
    Limits.check("--rooms x --members", (long) rooms * members, 2, Limits.MAX_CONNECTIONS);
    Limits.checkRate("--rate", rate);
    if (rate == 0) {
      throw new IllegalArgumentException("invalid --rate 0: chat members publish at a set rate; use fanout for "
          + "publishing as fast as a room delivers");
    }
    LoadRun run = new LoadRun(common.runOptions("chat", common.settings(rate, 0), 0), System.out);

    int nodes = common.nodes().size();
    for (int r = 0; r < rooms; r++) {
      Room room = run.addRoom(common.roomName(r));
      for (int m = 0; m < members; m++) {
        room.addPublisher((r + m) % nodes);
      }
    }
    return ScenarioRun.execute(run, common.jsonFile("chat"), System.out);
  }
}
