package io.roomcast.cluster;

import java.util.List;

/**
 * Join settings of this node's Hazelcast member.
 *
 * @param clusterName members with another cluster name never join this one
 * @param host the address Hazelcast binds to and announces to other members
 * @param port the Hazelcast port
 * @param members addresses ({@code host:port}) to contact when joining
 */
public record ClusterOptions(String clusterName, String host, int port, List<String> members) {

  public ClusterOptions {
    if (clusterName == null || clusterName.isBlank()) {
      throw new IllegalArgumentException("cluster name must not be empty");
    }
    members = List.copyOf(members);
  }
}
