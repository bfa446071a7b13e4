package io.roomcast.loadgen.run;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Opens the members' WebSocket connections, spread over local source addresses, at a set rate
 * with a bounded number of handshakes in flight.
 *
 * <p>There is one {@link WebSocketClient} per source address, held in {@link #clients}: a Vert.x 5
 * client that nothing references can be closed in the middle of a handshake. Each client allows
 * any number of connections per node, instead of Vert.x's default of 50.
 */
public final class Connector {

  private final List<NodeAddress> nodes;
  private final List<String> sourceAddresses;
  private final List<WebSocketClient> clients = new ArrayList<>();
  private final RunSettings settings;
  private final Map<String, Long> errors = new ConcurrentSkipListMap<>();

  public Connector(Vertx vertx, List<NodeAddress> nodes, List<String> sourceAddresses, RunSettings settings) {
    this.nodes = List.copyOf(nodes);
    this.sourceAddresses = List.copyOf(sourceAddresses);
    this.settings = settings;
    int clientCount = Math.max(1, sourceAddresses.size());
    for (int i = 0; i < clientCount; i++) {
      WebSocketClientOptions options = new WebSocketClientOptions()
          .setMaxConnections(Integer.MAX_VALUE)
          .setConnectTimeout((int) settings.connectTimeout().toMillis())
          .setMaxFrameSize(Math.max(65536, settings.payloadBytes() + 64))
          .setMaxMessageSize(Math.max(65536, settings.payloadBytes() + 64))
          .setTryUsePerMessageCompression(false)
          .setTryUsePerFrameCompression(false)
          .setTcpNoDelay(true);
      if (!sourceAddresses.isEmpty()) {
        options.setLocalAddress(sourceAddresses.get(i));
      }
      clients.add(vertx.createWebSocketClient(options));
    }
  }

  /** Connect failures by reason, such as {@code HTTP 404} or the exception's message. */
  public Map<String, Long> errors() {
    return errors;
  }

  public long errorCount() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Opens every member's connection in order, on its worker's event loop, at most
   * {@link RunSettings#connectRate()} per second. Blocks the calling thread, which must not be an
   * event loop, until every handshake finished or failed, or {@code deadlineNanos} passed.
   *
   * @return the number of members that connected
   */
  public long connectAll(List<Member> members, List<Worker> workers, long deadlineNanos) throws InterruptedException {
    Semaphore inFlight = new Semaphore(settings.connectsInFlight());
    long start = System.nanoTime();
    AtomicLong connected = new AtomicLong();

    for (int i = 0; i < members.size(); i++) {
      long dueNanos = start + (long) (i * 1e9 / settings.connectRate());
      long waitNanos = dueNanos - System.nanoTime();
      if (waitNanos > 0) {
        TimeUnit.NANOSECONDS.sleep(waitNanos);
      }
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0 || !inFlight.tryAcquire(left, TimeUnit.NANOSECONDS)) {
        countError("not attempted: connect phase timed out");
        continue;
      }
      Member member = members.get(i);
      Worker worker = workers.get(i % workers.size());
      connect(member, worker, i).onComplete(result -> {
        if (result.succeeded()) {
          connected.incrementAndGet();
        }
        inFlight.release();
      });
    }

    long left = deadlineNanos - System.nanoTime();
    if (!inFlight.tryAcquire(settings.connectsInFlight(), Math.max(0, left), TimeUnit.NANOSECONDS)) {
      countError("handshake still pending when the connect phase timed out");
    } else {
      inFlight.release(settings.connectsInFlight());
    }
    return connected.get();
  }

  /** Closes the clients; their connections should be closed already. */
  public Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    for (WebSocketClient client : clients) {
      closing.add(client.close());
    }
    return Future.join(closing).mapEmpty();
  }

  private Future<Void> connect(Member member, Worker worker, int index) {
    Promise<Void> promise = Promise.promise();
    WebSocketClient client = clients.get(index % clients.size());
    NodeAddress node = nodes.get(member.nodeIndex() % nodes.size());
    WebSocketConnectOptions options = new WebSocketConnectOptions()
        .setHost(node.host())
        .setPort(node.port())
        .setURI(member.room().path())
        .setTimeout(settings.connectTimeout().toMillis());

    worker.context().runOnContext(ignored -> {
      ClientWebSocket webSocket = client.webSocket();
      worker.add(member);
      member.attach(worker, webSocket);
      webSocket.connect(options).onComplete(result -> {
        if (result.succeeded()) {
          member.handleConnected();
          promise.complete();
        } else {
          countError(describe(result.cause()));
          promise.fail(result.cause());
        }
      });
    });
    return promise.future();
  }

  private void countError(String reason) {
    errors.merge(reason, 1L, Long::sum);
  }

  private static String describe(Throwable failure) {
    if (failure instanceof UpgradeRejectedException rejected) {
      return "upgrade rejected with HTTP " + rejected.getStatus();
    }
    String message = failure.getMessage();
    return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
