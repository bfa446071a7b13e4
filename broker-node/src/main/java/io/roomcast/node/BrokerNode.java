package io.roomcast.node;

import io.roomcast.cluster.ClusterOptions;
import io.roomcast.cluster.HazelcastCluster;
import io.roomcast.config.BrokerSettings;
import io.roomcast.config.ConfigLoader;
import io.roomcast.config.InvalidConfigException;
import io.roomcast.config.RoomcastConfig;
import io.roomcast.http.HttpApi;
import io.roomcast.http.NodeStatus;
import io.roomcast.metrics.BrokerMetrics;
import io.roomcast.session.WebSocketSessions;
import io.roomcast.topic.ChannelRules;
import io.roomcast.topic.InNodeTopicBus;
import io.roomcast.topic.TopicBus;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * One running node: Hazelcast member, Vert.x HTTP server and the sessions between them.
 *
 * <p>Stop order: report not ready, close every WebSocket with 1001 so clients reconnect to
 * another node, leave the Hazelcast cluster gracefully so its partitions migrate, close Vert.x.
 */
final class BrokerNode implements NodeStatus {

  private static final Logger LOG = LoggerFactory.getLogger(BrokerNode.class);
  private static final short GOING_AWAY = 1001;

  private final BrokerSettings settings;
  private final HazelcastCluster cluster;
  private final Vertx vertx;
  private final WebSocketSessions sessions;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicBoolean stopRequested = new AtomicBoolean();
  private volatile boolean draining;
  private int httpPort;

  private BrokerNode(BrokerSettings settings, HazelcastCluster cluster, Vertx vertx, WebSocketSessions sessions) {
    this.settings = settings;
    this.cluster = cluster;
    this.vertx = vertx;
    this.sessions = sessions;
  }

  /** Loads the configuration, joins the cluster and starts serving; blocks until it listens. */
  static BrokerNode start(NodeOptions options) {
    ConfigLoader loader = new ConfigLoader(options.configDir());
    RoomcastConfig config = loader.loadSettings();
    BrokerSettings settings = options.pingInterval() != null
        ? config.node().withPingInterval(options.pingInterval())
        : config.node();
    ChannelRules channels = new ChannelRules(config.channels());
    BrokerMetrics metrics = new BrokerMetrics();

    HazelcastCluster cluster = startCluster(options, loader);
    // NOTE: Vert.x's own Micrometer metrics stay off: with vertx-micrometer-metrics 5.0.7 a request
    // that arrives right after start could fail with a NullPointerException in requestBegin and
    // never get a response. The node's roomcast_* meters count connections and deliveries.
    Vertx vertx = Vertx.vertx();
    TopicBus bus = cluster.topicBus();
    if (options.inNodeFanout()) {
      LOG.warn("In-node fan-out is on: publications stay on this node and are not kept for resuming."
          + " Use it only to measure the benchmark ceiling.");
      bus = new InNodeTopicBus();
    }
    WebSocketSessions sessions = new WebSocketSessions(vertx, bus, settings, metrics);
    BrokerNode node = new BrokerNode(settings, cluster, vertx, sessions);

    HttpApi api = new HttpApi(vertx, sessions, bus, channels, settings, metrics, node);
    HttpServer server = vertx.createHttpServer(httpOptions(settings)).requestHandler(api.requestHandler());
    node.httpPort = await(server.listen(options.httpPort(), options.httpHost())).actualPort();

    LOG.info("Roomcast node started: HTTP {}:{}, Hazelcast {} in cluster '{}' with members {}, config {}",
        options.httpHost(), node.httpPort, cluster.localAddress(), cluster.clusterName(),
        cluster.memberAddresses(), options.configDir().toAbsolutePath().normalize());
    return node;
  }

  private static HazelcastCluster startCluster(NodeOptions options, ConfigLoader loader) {
    ClusterOptions clusterOptions = new ClusterOptions(options.clusterName(), options.hazelcastHost(),
        options.hazelcastPort(), options.members());
    try (InputStream yaml = loader.open(ConfigLoader.HAZELCAST_FILE)) {
      return HazelcastCluster.start(clusterOptions, yaml);
    } catch (IOException e) {
      throw new InvalidConfigException("failed to read " + ConfigLoader.HAZELCAST_FILE + ": " + e.getMessage(), e);
    }
  }

  private static HttpServerOptions httpOptions(BrokerSettings settings) {
    return new HttpServerOptions()
        .setWebSocketSubProtocols(List.of(WebSocketSessions.SEQUENCED_SUBPROTOCOL))
        .setMaxWebSocketFrameSize(settings.maxMessageBytes())
        .setMaxWebSocketMessageSize(settings.maxMessageBytes())
        .setPerMessageWebSocketCompressionSupported(settings.websocketCompression())
        .setPerFrameWebSocketCompressionSupported(settings.websocketCompression())
        .setWebSocketClosingTimeout((int) Math.max(1, settings.drainTimeout().toSeconds()));
  }

  /**
   * Installs SIGTERM and SIGINT handlers that stop the node gracefully and exit with status 0, and
   * blocks the calling thread until then.
   */
  void stopOnSignals() {
    // sun.misc.Signal lets the process exit 0 after a graceful stop. A shutdown hook alone can not
    // change the exit status the JVM reports for a signal.
    Signal.handle(new Signal("TERM"), signal -> stopAndExit(signal.getName()));
    Signal.handle(new Signal("INT"), signal -> stopAndExit(signal.getName()));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void stopAndExit(String signalName) {
    if (!stopRequested.compareAndSet(false, true)) {
      LOG.info("Received SIG{} again; the stop already in progress continues", signalName);
      return;
    }
    LOG.info("Received SIG{}, stopping", signalName);
    Thread stopper = new Thread(() -> {
      stop();
      stopped.countDown();
      System.exit(0);
    }, "roomcast-stop");
    stopper.start();
  }

  /** Drains connections and leaves the cluster; blocking, called once. */
  void stop() {
    if (draining) {
      return;
    }
    draining = true;
    sleepDrainDelay();
    await(sessions.closeAll(GOING_AWAY, "node shutting down", settings.drainTimeout()));
    cluster.close();
    await(vertx.close());
    LOG.info("Roomcast node stopped");
  }

  private void sleepDrainDelay() {
    long millis = settings.drainDelay().toMillis();
    if (millis <= 0) {
      return;
    }
    LOG.info("Not ready; closing connections in {} ms", millis);
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean isReady() {
    return !draining && cluster.isRunning();
  }

  @Override
  public String notReadyReason() {
    if (draining) {
      return "draining";
    }
    return cluster.isRunning() ? "ready" : "cluster unavailable";
  }

  @Override
  public JsonObject toJson() {
    boolean running = cluster.isRunning();
    return new JsonObject()
        .put("ready", isReady())
        .put("draining", draining)
        .put("httpPort", httpPort)
        .put("clusterName", running ? cluster.clusterName() : null)
        .put("hazelcastAddress", running ? cluster.localAddress() : null)
        .put("members", running ? new JsonArray(cluster.memberAddresses()) : new JsonArray())
        .put("connections", sessions.connectionCount())
        .put("rooms", sessions.roomCount())
        .put("roomTopics", running ? cluster.roomTopicCount() : 0);
  }

  private static <T> T await(io.vertx.core.Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting", e);
    } catch (Exception e) {
      throw new IllegalStateException(e.getCause() != null ? e.getCause().getMessage() : e.toString(), e);
    }
  }
}
