package io.roomcast.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The node's meters, scraped as Prometheus text from {@code GET /metrics}.
 *
 * <p>Counters are safe to increment from any thread. The per-message path adds delivery counts
 * once per batch, not once per delivery.
 */
public final class BrokerMetrics {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter websocketPublications;
  private final Counter httpPublications;
  private final Counter deliveries;
  private final Counter lostPublications;
  private final Map<ClientError, Counter> clientErrors = new EnumMap<>(ClientError.class);

  public BrokerMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);

    websocketPublications = Counter.builder("roomcast.publications")
        .description("Publications accepted by the cluster, by where they came from")
        .tag("source", "websocket").register(registry);
    httpPublications = Counter.builder("roomcast.publications")
        .description("Publications accepted by the cluster, by where they came from")
        .tag("source", "http").register(registry);
    deliveries = Counter.builder("roomcast.deliveries")
        .description("Frames written to local WebSocket connections").register(registry);
    lostPublications = Counter.builder("roomcast.lost.publications")
        .description("Publications this node missed because its topic listener fell behind the ring buffer")
        .register(registry);
    for (ClientError error : ClientError.values()) {
      clientErrors.put(error, Counter.builder("roomcast.client.errors")
          .description("Client errors by kind and HTTP status or WebSocket close code")
          .tag("error", error.name().toLowerCase())
          .tag("code", Integer.toString(error.code()))
          .register(registry));
    }
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Registers a gauge read at scrape time. */
  public void gauge(String name, String description, Supplier<Number> value) {
    io.micrometer.core.instrument.Gauge.builder(name, value).description(description).register(registry);
  }

  public void publicationAccepted(boolean fromWebSocket) {
    (fromWebSocket ? websocketPublications : httpPublications).increment();
  }

  /** Counts publications from WebSocket clients, accepted in one batch. */
  public void publicationsAccepted(int count) {
    websocketPublications.increment(count);
  }

  public void delivered(int count) {
    deliveries.increment(count);
  }

  public void publicationsLost(long count) {
    lostPublications.increment(count);
  }

  public void clientError(ClientError error) {
    clientErrors.get(error).increment();
  }

  /** Returns every meter in the Prometheus text format. */
  public String scrape() {
    return registry.scrape();
  }
}
