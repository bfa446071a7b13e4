package io.roomcast.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The command-line settings of one node, after parsing and validation.
 *
 * @param httpHost address the HTTP server binds to
 * @param httpPort HTTP port; 0 picks a free one, logged at start
 * @param hazelcastHost address Hazelcast binds to and announces
 * @param hazelcastPort Hazelcast port
 * @param members Hazelcast addresses to contact when joining
 * @param clusterName Hazelcast cluster name
 * @param configDir folder of {@code roomcast.yaml}, {@code hazelcast.yaml} and {@code logback.xml};
 *     files missing from it fall back to the packaged defaults
 * @param pingInterval ping interval overriding {@code roomcast.yaml}, or null to keep it
 * @param inNodeFanout benchmarks only: fan out inside the node instead of through Hazelcast
 */
record NodeOptions(
    String httpHost,
    int httpPort,
    String hazelcastHost,
    int hazelcastPort,
    List<String> members,
    String clusterName,
    Path configDir,
    Duration pingInterval,
    boolean inNodeFanout) {

  NodeOptions {
    members = List.copyOf(members);
  }
}
