package io.roomcast.session;

import io.roomcast.config.BrokerSettings;
import io.roomcast.metrics.BrokerMetrics;
import io.roomcast.topic.TopicBus;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits WebSocket connections into rooms and keeps track of them for metrics and drain.
 */
public final class WebSocketSessions {

  /** The WebSocket subprotocol of sequenced sessions: JSON frames with sequence and epoch. */
  public static final String SEQUENCED_SUBPROTOCOL = "roomcast.v1";

  private static final Logger LOG = LoggerFactory.getLogger(WebSocketSessions.class);

  private final SessionServices services;
  private final LocalRooms rooms;
  private final ConcurrentMap<Long, Session> sessions = new ConcurrentHashMap<>();
  private final AtomicLong nextSessionId = new AtomicLong(1);

  public WebSocketSessions(Vertx vertx, TopicBus bus, BrokerSettings settings, BrokerMetrics metrics) {
    long nodeId = ThreadLocalRandom.current().nextLong();
    this.services = new SessionServices(vertx, bus, settings, metrics, nodeId);
    this.rooms = new LocalRooms(vertx, bus, metrics);
    metrics.gauge("roomcast.connections", "Open WebSocket connections on this node", sessions::size);
    metrics.gauge("roomcast.rooms", "Topics this node listens to for its local clients", rooms::size);
  }

  /** Returns the random id that marks this node's publications. */
  public long nodeId() {
    return services.nodeId();
  }

  /**
   * Joins a connection to a topic: first makes sure this node listens to the topic, then runs
   * {@code upgrade} to complete the WebSocket handshake, then starts the session. When the topic
   * can not be subscribed the upgrade never runs and the future fails. The session is sequenced
   * when the handshake selected the {@value #SEQUENCED_SUBPROTOCOL} subprotocol.
   *
   * @param resume where a sequenced client resumes, or null to start at live publications
   */
  public Future<Void> join(String topic, ResumeRequest resume, Supplier<Future<ServerWebSocket>> upgrade) {
    return rooms.acquire(topic)
        .compose(room -> upgrade.get()
            .onSuccess(webSocket -> startSession(room, webSocket, resume))
            .onFailure(failure -> rooms.release(room)))
        .mapEmpty();
  }

  public int connectionCount() {
    return sessions.size();
  }

  public int roomCount() {
    return rooms.size();
  }

  /**
   * Closes every connection with the code and reason, and completes when all have closed or the
   * timeout passed.
   */
  public Future<Void> closeAll(short code, String reason, Duration timeout) {
    rooms.stopResubscribing();
    Promise<Void> done = Promise.promise();
    if (sessions.isEmpty()) {
      done.complete();
      return done.future();
    }
    LOG.info("Closing {} WebSocket connections with {} ({})", sessions.size(), code, reason);
    for (Session session : sessions.values()) {
      session.context().runOnContext(v -> session.close(code, reason));
    }

    Vertx vertx = services.vertx();
    long deadline = System.nanoTime() + timeout.toNanos();
    vertx.setPeriodic(20, timer -> {
      if (sessions.isEmpty() || System.nanoTime() > deadline) {
        vertx.cancelTimer(timer);
        if (!sessions.isEmpty()) {
          LOG.warn("{} WebSocket connections did not finish the close handshake within {}", sessions.size(), timeout);
        }
        done.complete();
      }
    });
    return done.future();
  }

  private void startSession(LocalRoom room, ServerWebSocket webSocket, ResumeRequest resume) {
    long id = nextSessionId.getAndIncrement();
    boolean sequenced = SEQUENCED_SUBPROTOCOL.equals(webSocket.subProtocol());
    Session session = new Session(id, webSocket, room, services, sequenced);
    sessions.put(id, session);
    session.start(resume, () -> {
      sessions.remove(id);
      rooms.release(room);
    });
  }
}
