package io.roomcast.it;

import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real WebSocket client on the Vert.x WebSocket client that records every message it receives
 * and how the connection closed.
 */
public final class TestClient implements AutoCloseable {

  /** Maximum wait for a frame or a close; generous because CI machines may be busy. */
  private static final Duration WAIT = Duration.ofSeconds(60);

  /** One received message. */
  public record Received(boolean text, Buffer data) {

    public String asText() {
      return data.toString();
    }
  }

  // Kept in a field: a Vert.x 5 client that nothing references can be closed mid-handshake.
  private final WebSocketClient client;
  private WebSocket webSocket;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile Short closeCode;
  private volatile String closeReason;
  private volatile boolean closed;

  private TestClient(WebSocketClient client) {
    this.client = client;
  }

  // Runs on the event loop as the handshake completes, before the next frame is read: a frame
  // that arrives while no handler is set is dropped, and the node sends its first frame at once.
  private WebSocket attach(WebSocket webSocket) {
    this.webSocket = webSocket;
    webSocket.textMessageHandler(text -> received.add(new Received(true, Buffer.buffer(text))));
    webSocket.binaryMessageHandler(data -> received.add(new Received(false, data)));
    webSocket.closeHandler(ignored -> {
      closeCode = webSocket.closeStatusCode();
      closeReason = webSocket.closeReason();
      closed = true;
    });
    return webSocket;
  }

  /** Connects to a path on a node and waits for the handshake. */
  public static TestClient connect(Vertx vertx, int port, String path) {
    return connect(vertx, new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(path));
  }

  public static TestClient connect(Vertx vertx, WebSocketConnectOptions options) {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxFrameSize(4 * 1024 * 1024)
        .setMaxMessageSize(16 * 1024 * 1024));
    TestClient testClient = new TestClient(client);
    try {
      client.connect(options).map(testClient::attach).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      return testClient;
    } catch (Exception e) {
      client.close();
      throw new IllegalStateException("WebSocket connect to " + options.getPort() + options.getURI() + " failed: " + e, e);
    }
  }

  /** Connects with the {@code roomcast.v1} subprotocol, so that frames carry sequence and epoch. */
  public static TestClient connectSequenced(Vertx vertx, int port, String pathAndQuery) {
    return connect(vertx, new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(pathAndQuery)
        .addSubProtocol("roomcast.v1"));
  }

  /** Returns every received frame parsed as JSON; for sequenced clients. */
  public List<JsonObject> frames() {
    return received.stream().map(message -> new JsonObject(message.asText())).toList();
  }

  /** Returns the received publication frames (those with a {@code seq} and {@code data}). */
  public List<JsonObject> publications() {
    return frames().stream().filter(frame -> frame.containsKey("data")).toList();
  }

  /** Waits until a frame matching the condition arrived, and returns it. */
  public JsonObject awaitFrame(java.util.function.Predicate<JsonObject> condition) {
    await("frame arrived").atMost(WAIT).pollInterval(Duration.ofMillis(20))
        .until(() -> frames().stream().anyMatch(condition));
    return frames().stream().filter(condition).findFirst().orElseThrow();
  }

  /** Connects and expects the server to refuse the upgrade; returns the refusal with its status and body. */
  public static UpgradeRejectedException connectRejected(Vertx vertx, int port, String path) {
    WebSocketClient client = vertx.createWebSocketClient();
    try {
      client.connect(port, "127.0.0.1", path).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof UpgradeRejectedException rejected) {
        return rejected;
      }
      throw new AssertionError("expected the upgrade to be rejected, got " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new AssertionError("connect to " + path + " failed: " + e, e);
    } finally {
      client.close();
    }
    throw new AssertionError("expected the upgrade of " + path + " to be rejected, but it succeeded");
  }

  public WebSocket webSocket() {
    return webSocket;
  }

  public void sendText(String text) {
    join(webSocket.writeTextMessage(text));
  }

  public void sendBinary(Buffer data) {
    join(webSocket.writeBinaryMessage(data));
  }

  public void sendFrame(WebSocketFrame frame) {
    join(webSocket.writeFrame(frame));
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  public List<String> texts() {
    return received.stream().map(Received::asText).toList();
  }

  /** Waits until at least {@code count} messages arrived, and returns them all. */
  public List<Received> awaitReceived(int count) {
    await("client received " + count + " messages")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> received.size() >= count);
    return received();
  }

  /** Waits until the server closed the connection, and returns the close code. */
  public Short awaitClose() {
    await("WebSocket closed").atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> closed);
    return closeCode;
  }

  public boolean isClosed() {
    return closed;
  }

  public Short closeCode() {
    return closeCode;
  }

  public String closeReason() {
    return closeReason;
  }

  @Override
  public void close() {
    if (!closed) {
      webSocket.close();
    }
    client.close();
  }

  private static void join(io.vertx.core.Future<?> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("WebSocket write failed: " + e, e);
    }
  }
}
