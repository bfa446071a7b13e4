package io.roomcast.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.roomcast.metrics.ClientError;
import io.roomcast.topic.PayloadKind;
import io.roomcast.topic.Publication;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.http.WebSocketInternal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection in one room.
 *
 * <p>Threading: every method runs on the connection's event loop. Inbound messages are published
 * to the room's topic without blocking; outbound publications arrive from the room's
 * {@link MemberGroup} in topic order and are written without a flush, and the group flushes once
 * per batch.
 *
 * <p>Back-pressure: when more than the configured number of publishes wait for the cluster, the
 * session stops reading from the client until half of them completed. When the client reads so
 * slowly that its outbound queue passes the configured bytes, the session closes it with 1013.
 */
final class Session {

  private static final Logger LOG = LoggerFactory.getLogger(Session.class);

  private final long id;
  private final ServerWebSocket webSocket;
  private final ChannelHandlerContext channel;
  private final Context context;
  private final LocalRoom room;
  private final SessionServices services;
  private final MessageAssembler assembler;
  private int publishesInFlight;
  private boolean readingPaused;
  private boolean closing;
  private long pingTimer = -1;

  Session(long id, ServerWebSocket webSocket, LocalRoom room, SessionServices services) {
    this.id = id;
    this.webSocket = webSocket;
    this.channel = ((WebSocketInternal) webSocket).channelHandlerContext();
    this.context = services.vertx().getOrCreateContext();
    this.room = room;
    this.services = services;
    this.assembler = new MessageAssembler(services.settings().maxMessageBytes());
  }

  long id() {
    return id;
  }

  String topic() {
    return room.topic();
  }

  Context context() {
    return context;
  }

  /** Starts reading frames, pinging, and receiving the room's publications. */
  void start(Runnable onClosed) {
    int maxPending = services.settings().maxPendingBytesPerConnection();
    channel.channel().config().setWriteBufferWaterMark(new WriteBufferWaterMark(maxPending / 2, maxPending));

    webSocket.frameHandler(this::handleFrame);
    webSocket.exceptionHandler(this::handleException);
    webSocket.closeHandler(ignored -> {
      closing = true;
      stopPinging();
      assembler.reset();
      room.remove(this);
      onClosed.run();
      LOG.debug("Connection {} left topic {} with close code {}", id, topic(), webSocket.closeStatusCode());
    });

    long pingMillis = services.settings().pingInterval().toMillis();
    if (pingMillis > 0) {
      pingTimer = services.vertx().setPeriodic(pingMillis, ignored -> doPing());
    }
    room.add(this);
    LOG.debug("Connection {} from {} joined topic {}", id, webSocket.remoteAddress(), topic());
  }

  /**
   * Writes a publication without flushing, unless this connection sent it. Returns whether a
   * frame was written.
   */
  boolean deliver(Publication publication) {
    if (closing || isOwn(publication)) {
      return false;
    }
    if (!channel.channel().isWritable()) {
      closeWith(ClientError.TOO_SLOW, "client too slow: more than "
          + services.settings().maxPendingBytesPerConnection() + " bytes queued");
      return false;
    }

    ByteBuf payload = Unpooled.wrappedBuffer(publication.wire(), publication.payloadOffset(), publication.payloadLength());
    if (publication.kind() == PayloadKind.TEXT) {
      channel.write(new TextWebSocketFrame(payload), channel.voidPromise());
    } else {
      channel.write(new BinaryWebSocketFrame(payload), channel.voidPromise());
    }
    return true;
  }

  void flush() {
    if (!closing) {
      channel.flush();
    }
  }

  /** Closes the connection with a close code and reason; used by node drain and by limits. */
  void close(short code, String reason) {
    if (closing) {
      return;
    }
    closing = true;
    stopPinging();
    webSocket.close(code, reason);
  }

  private boolean isOwn(Publication publication) {
    return publication.originConnection() == id && publication.originNode() == services.nodeId();
  }

  private void handleFrame(WebSocketFrame frame) {
    if (closing) {
      return;
    }
    ByteBuf data = ((BufferInternal) frame.binaryData()).getByteBuf();
    MessageAssembler.Outcome outcome = switch (frame.type()) {
      case TEXT -> assembler.handleFirst(PayloadKind.TEXT, data, frame.isFinal());
      case BINARY -> assembler.handleFirst(PayloadKind.BINARY, data, frame.isFinal());
      case CONTINUATION -> assembler.handleContinuation(data, frame.isFinal());
      default -> MessageAssembler.Outcome.INCOMPLETE;
    };

    switch (outcome) {
      case COMPLETE -> doPublish(assembler.kind(), assembler.message());
      case TOO_BIG -> closeWith(ClientError.MESSAGE_TOO_BIG,
          "message too big: limit is " + services.settings().maxMessageBytes() + " bytes");
      case INVALID_UTF8 -> closeWith(ClientError.INVALID_UTF8, "invalid UTF-8 in text message");
      case UNEXPECTED_CONTINUATION -> webSocket.close((short) 1002, "continuation frame without a first frame");
      case INCOMPLETE -> {
      }
    }
  }

  private void doPublish(PayloadKind kind, ByteBuf message) {
    Publication publication = Publication.of(kind, services.nodeId(), id, message.nioBuffer());
    assembler.reset();

    publishesInFlight++;
    if (publishesInFlight >= services.settings().maxPublishesInFlightPerConnection() && !readingPaused) {
      readingPaused = true;
      webSocket.pause();
    }
    services.bus().publish(topic(), publication)
        .whenComplete((ignored, failure) -> context.runOnContext(v -> handlePublished(failure)));
  }

  private void handlePublished(Throwable failure) {
    publishesInFlight--;
    if (failure != null) {
      LOG.warn("Connection {} on topic {}: publish failed, closing with 1011", id, topic(), failure);
      closeWith(ClientError.PUBLISH_FAILED, "publish failed: " + failure.getMessage());
      return;
    }
    services.metrics().publicationAccepted(true);

    if (readingPaused && publishesInFlight <= services.settings().maxPublishesInFlightPerConnection() / 2) {
      readingPaused = false;
      if (!closing) {
        webSocket.resume();
      }
    }
  }

  private void closeWith(ClientError error, String reason) {
    if (closing) {
      return;
    }
    services.metrics().clientError(error);
    LOG.debug("Connection {} on topic {}: closing with {} because {}", id, topic(), error.code(), reason);
    close((short) error.code(), truncate(reason));
  }

  // A close frame's reason may hold at most 123 bytes of UTF-8; ours are ASCII.
  private static String truncate(String reason) {
    return reason.length() <= 123 ? reason : reason.substring(0, 123);
  }

  private void doPing() {
    if (!closing) {
      webSocket.writePing(Buffer.buffer());
    }
  }

  private void stopPinging() {
    if (pingTimer >= 0) {
      services.vertx().cancelTimer(pingTimer);
      pingTimer = -1;
    }
  }

  private void handleException(Throwable failure) {
    // Netty's frame decoder rejects a frame larger than the message size limit before the
    // assembler sees it; Vert.x reports that here instead of sending a close frame.
    if (failure instanceof CorruptedWebSocketFrameException corrupted
        && corrupted.closeStatus().code() == ClientError.MESSAGE_TOO_BIG.code()) {
      closeWith(ClientError.MESSAGE_TOO_BIG, "message too big: limit is " + services.settings().maxMessageBytes() + " bytes");
      return;
    }
    if (failure instanceof CorruptedWebSocketFrameException corrupted) {
      LOG.debug("Connection {} on topic {}: closing with {} because {}", id, topic(), corrupted.closeStatus().code(),
          corrupted.getMessage());
      close((short) corrupted.closeStatus().code(), truncate(corrupted.closeStatus().reasonText()));
      return;
    }
    LOG.debug("Connection {} on topic {}: {}", id, topic(), failure.toString());
  }
}
