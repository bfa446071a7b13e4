package io.roomcast.loadgen;

import io.roomcast.loadgen.run.NodeAddress;
import io.roomcast.loadgen.run.NodeProbe;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Reads the nodes' memory once, for scripts that measure while several generators hold connections. */
@Command(name = "memory", mixinStandardHelpOptions = true,
    description = "Prints the nodes' heap in use, resident memory and connection count as JSON, with their sums.")
final class MemoryCommand implements Callable<Integer> {

  @Option(names = "--url", paramLabel = "URL", split = ",", required = true,
      description = "Node URLs (http://HOST:PORT), comma-separated or repeated.")
  List<String> urls;

  @Option(names = "--node-pid", paramLabel = "PID", split = ",",
      description = "Process ids of the nodes on this machine, in --url order, to read their resident memory.")
  List<Long> nodePids = new ArrayList<>();

  @Option(names = "--gc", description = "Run jcmd PID GC.run on every --node-pid first.")
  boolean collectGarbage;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the JSON to this file.")
  Path json;

  @Override
  public Integer call() throws Exception {
    List<NodeAddress> nodes = urls.stream().map(NodeAddress::parse).toList();
    List<NodeProbe.NodeMemory> memory = new NodeProbe(nodes, nodePids, collectGarbage).measure();

    JsonArray perNode = new JsonArray();
    long heap = 0;
    long rss = 0;
    long connections = 0;
    for (NodeProbe.NodeMemory node : memory) {
      perNode.add(new JsonObject()
          .put("node", node.node())
          .put("heap_bytes", node.heapBytes())
          .put("rss_bytes", node.rssBytes())
          .put("connections", node.connections()));
      heap = add(heap, node.heapBytes());
      rss = add(rss, node.rssBytes());
      connections = add(connections, node.connections());
    }
    JsonObject result = new JsonObject()
        .put("gc_before_measuring", collectGarbage && !nodePids.isEmpty())
        .put("heap_bytes", heap)
        .put("rss_bytes", rss)
        .put("connections", connections)
        .put("nodes", perNode);

    System.out.println(result.encodePrettily());
    if (json != null) {
      Files.writeString(json, result.encodePrettily() + "\n");
    }
    return 0;
  }

  // Keeps -1 (unknown) once any node's figure is unknown, so that a partial sum is never reported.
  private static long add(long sum, long value) {
    return sum < 0 || value < 0 ? -1 : sum + value;
  }
}
