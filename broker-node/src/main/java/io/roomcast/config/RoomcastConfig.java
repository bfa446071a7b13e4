package io.roomcast.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The contents of {@code roomcast.yaml}: node settings and messaging channels, validated once at
 * start.
 */
public record RoomcastConfig(BrokerSettings node, List<MessagingChannel> channels) {

  public RoomcastConfig {
    node = node != null ? node : BrokerSettings.DEFAULTS;
    channels = channels != null ? List.copyOf(channels) : List.of();
    checkUniqueNames(channels);
  }

  @JsonCreator
  static RoomcastConfig fromYaml(
      @JsonProperty("node") BrokerSettings node,
      @JsonProperty("channels") List<MessagingChannel> channels) {
    return new RoomcastConfig(node, channels);
  }

  private static void checkUniqueNames(List<MessagingChannel> channels) {
    Set<String> seen = new HashSet<>();
    for (MessagingChannel channel : channels) {
      if (!seen.add(channel.name())) {
        throw new InvalidConfigException("messaging channel '" + channel.name() + "' is defined twice");
      }
    }
  }
}
