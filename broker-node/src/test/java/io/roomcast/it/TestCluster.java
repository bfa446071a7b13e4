package io.roomcast.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Several {@link NodeProcess}es under one cluster name that no other test run uses, started one
 * after the other so that each joins the first.
 */
public final class TestCluster implements AutoCloseable {

  private final String clusterName = "it-" + UUID.randomUUID();
  private final List<Integer> hazelcastPorts = new ArrayList<>();
  private final List<NodeProcess> nodes = new ArrayList<>();
  private final List<String> extraArgs;

  private TestCluster(int capacity, List<String> extraArgs) {
    this.extraArgs = List.copyOf(extraArgs);
    for (int i = 0; i < capacity; i++) {
      hazelcastPorts.add(NodeProcess.freePort());
    }
  }

  /** Starts {@code size} nodes; up to {@code capacity} can be started in all, with {@link #startNode}. */
  public static TestCluster start(int size, int capacity, String... extraArgs) {
    TestCluster cluster = new TestCluster(capacity, List.of(extraArgs));
    try {
      for (int i = 0; i < size; i++) {
        cluster.startNode();
      }
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  public static TestCluster start(int size, String... extraArgs) {
    return start(size, size, extraArgs);
  }

  /** Starts the next node and waits until it is ready. */
  public NodeProcess startNode() {
    int index = nodes.size();
    if (index >= hazelcastPorts.size()) {
      throw new IllegalStateException("cluster capacity " + hazelcastPorts.size() + " reached");
    }
    NodeProcess node = NodeProcess.start("node" + (index + 1) + "-" + clusterName.substring(3, 11), clusterName,
        hazelcastPorts.get(index), hazelcastPorts, extraArgs);
    nodes.add(node);
    return node;
  }

  /**
   * Writes the repository's {@code hazelcast.yaml} into {@code folder} with each key of
   * {@code replacements} replaced by its value; fails when a key is not in the file, so that a
   * test never runs on settings it did not mean.
   */
  public static void writeHazelcastConfig(Path folder, Map<String, String> replacements) throws IOException {
    Path repoConfig = Path.of(System.getProperty("roomcast.configDir", "../cluster-config"));
    String yaml = Files.readString(repoConfig.resolve("hazelcast.yaml"));
    for (Map.Entry<String, String> replacement : replacements.entrySet()) {
      if (!yaml.contains(replacement.getKey())) {
        throw new IllegalStateException("hazelcast.yaml has no '" + replacement.getKey() + "' to replace");
      }
      yaml = yaml.replace(replacement.getKey(), replacement.getValue());
    }
    Files.writeString(folder.resolve("hazelcast.yaml"), yaml);
  }

  public NodeProcess node(int index) {
    return nodes.get(index);
  }

  public List<NodeProcess> nodes() {
    return List.copyOf(nodes);
  }

  public String clusterName() {
    return clusterName;
  }

  @Override
  public void close() {
    for (NodeProcess node : nodes) {
      node.close();
    }
  }
}
