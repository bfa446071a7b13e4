package io.roomcast.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * Per-node limits and timings, read from the {@code node} section of {@code roomcast.yaml}.
 *
 * @param maxMessageBytes largest message a client may send, after reassembly; larger ones close
 *     the connection with 1009
 * @param maxPendingBytesPerConnection outbound bytes a connection may have queued before it is
 *     closed with 1013 as too slow
 * @param maxPublishesInFlightPerConnection publications of one connection that may wait for the
 *     cluster before the node stops reading from that connection. They go to the cluster in
 *     batches, one batch at a time, so the connection's order is kept
 * @param pingInterval how often the node pings each WebSocket so that proxies keep idle tunnels
 *     open; zero turns pings off
 * @param drainDelay how long a stopping node reports not ready before it closes connections, so
 *     that load balancers stop sending it new clients first
 * @param drainTimeout how long a stopping node waits for WebSocket close handshakes
 * @param websocketCompression whether to accept permessage-deflate when a client offers it
 */
public record BrokerSettings(
    int maxMessageBytes,
    int maxPendingBytesPerConnection,
    int maxPublishesInFlightPerConnection,
    Duration pingInterval,
    Duration drainDelay,
    Duration drainTimeout,
    boolean websocketCompression) {

  public static final BrokerSettings DEFAULTS = new BrokerSettings(
      1024 * 1024, 4 * 1024 * 1024, 64, Duration.ofSeconds(30), Duration.ZERO, Duration.ofSeconds(10), false);

  public BrokerSettings {
    requirePositive("max-message-bytes", maxMessageBytes);
    requirePositive("max-pending-bytes-per-connection", maxPendingBytesPerConnection);
    requirePositive("max-publishes-in-flight-per-connection", maxPublishesInFlightPerConnection);
    if (pingInterval == null || pingInterval.isNegative()) {
      throw new InvalidConfigException("ping-interval-seconds must be 0 or more, got " + pingInterval);
    }
    if (drainDelay == null || drainDelay.isNegative()) {
      throw new InvalidConfigException("drain-delay-seconds must be 0 or more, got " + drainDelay);
    }
    if (drainTimeout == null || drainTimeout.isNegative()) {
      throw new InvalidConfigException("drain-timeout-seconds must be 0 or more, got " + drainTimeout);
    }
  }

  @JsonCreator
  static BrokerSettings fromYaml(
      @JsonProperty("max-message-bytes") Integer maxMessageBytes,
      @JsonProperty("max-pending-bytes-per-connection") Integer maxPendingBytesPerConnection,
      @JsonProperty("max-publishes-in-flight-per-connection") Integer maxPublishesInFlight,
      @JsonProperty("ping-interval-seconds") Long pingIntervalSeconds,
      @JsonProperty("drain-delay-seconds") Long drainDelaySeconds,
      @JsonProperty("drain-timeout-seconds") Long drainTimeoutSeconds,
      @JsonProperty("websocket-compression") Boolean websocketCompression) {
    BrokerSettings d = DEFAULTS;
    return new BrokerSettings(
        maxMessageBytes != null ? maxMessageBytes : d.maxMessageBytes(),
        maxPendingBytesPerConnection != null ? maxPendingBytesPerConnection : d.maxPendingBytesPerConnection(),
        maxPublishesInFlight != null ? maxPublishesInFlight : d.maxPublishesInFlightPerConnection(),
        pingIntervalSeconds != null ? Duration.ofSeconds(pingIntervalSeconds) : d.pingInterval(),
        drainDelaySeconds != null ? Duration.ofSeconds(drainDelaySeconds) : d.drainDelay(),
        drainTimeoutSeconds != null ? Duration.ofSeconds(drainTimeoutSeconds) : d.drainTimeout(),
        websocketCompression != null ? websocketCompression : d.websocketCompression());
  }

  /** Returns a copy with another ping interval, as set on the command line. */
  public BrokerSettings withPingInterval(Duration interval) {
    return new BrokerSettings(maxMessageBytes, maxPendingBytesPerConnection,
        maxPublishesInFlightPerConnection, interval, drainDelay, drainTimeout, websocketCompression);
  }

  private static void requirePositive(String key, int value) {
    if (value <= 0) {
      throw new InvalidConfigException(key + " must be positive, got " + value);
    }
  }
}
