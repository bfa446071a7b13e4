package io.roomcast.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.roomcast.metrics.ClientError;
import io.roomcast.topic.PayloadKind;
import io.roomcast.topic.Publication;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.http.WebSocketInternal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection in one room.
 *
 * <p>Threading: every method runs on the connection's event loop. Inbound messages are published
 * to the room's topic without blocking. Outbound events arrive from the room's
 * {@link MemberGroup} in topic order and are written without a flush; the group flushes once per
 * batch.
 *
 * <p>Back-pressure: a session sends one batch of publications to the cluster at a time, and stops
 * reading from the client while the configured number of publications wait behind that batch. When the client reads so
 * slowly that its outbound queue passes the configured bytes, the session closes it with 1013;
 * a sequenced client gets the position to resume from in the close reason.
 */
final class Session {

  private static final Logger LOG = LoggerFactory.getLogger(Session.class);
  /** Maximum wait for the cluster to return a sequenced session's start position and history. */
  private static final long HISTORY_TIMEOUT_SECONDS = 30;

  private final long id;
  private final ServerWebSocket webSocket;
  private final FrameWriter writer;
  private final Context context;
  private final LocalRoom room;
  private final SessionServices services;
  private final MessageAssembler assembler;
  private final Outbound outbound;
  private final SequencedOutbound sequenced;
  // Publications wait here while an earlier batch is with the cluster. One batch at a time keeps
  // this connection's messages in the order it sent them, even when the cluster retries a batch.
  private final ArrayDeque<Publication> waitingToPublish = new ArrayDeque<>();
  private boolean publishing;
  private boolean readingPaused;
  private boolean closing;
  private long pingTimer = -1;

  /** Creates a raw session when {@code sequenced} is false, else a sequenced one. */
  Session(long id, ServerWebSocket webSocket, LocalRoom room, SessionServices services, boolean sequenced) {
    this.id = id;
    this.webSocket = webSocket;
    this.writer = new FrameWriter(((WebSocketInternal) webSocket).channelHandlerContext());
    this.context = services.vertx().getOrCreateContext();
    this.room = room;
    this.services = services;
    this.assembler = new MessageAssembler(services.settings().maxMessageBytes());
    this.sequenced = sequenced ? new SequencedOutbound(writer) : null;
    this.outbound = sequenced ? this.sequenced : new RawOutbound(writer);
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

  /**
   * Starts reading frames, pinging, and receiving the room's events. A sequenced session then
   * waits for {@code replay} before it writes anything; a raw session ignores it.
   */
  void start(ResumeRequest resume, Runnable onClosed) {
    int maxPending = services.settings().maxPendingBytesPerConnection();
    ((WebSocketInternal) webSocket).channelHandlerContext().channel().config()
        .setWriteBufferWaterMark(new WriteBufferWaterMark(maxPending / 2, maxPending));

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
    LOG.debug("Connection {} from {} joined topic {} ({})", id, webSocket.remoteAddress(), topic(),
        sequenced != null ? "sequenced" : "raw");
    if (sequenced != null) {
      doStartSequenced(resume);
    }
  }

  /**
   * Writes a room event without flushing; returns how many publications were written. For a
   * delivery, {@code frames} contains its frames encoded for the whole group; null otherwise.
   */
  int handle(RoomEvent event, EncodedFrames frames) {
    if (closing) {
      return 0;
    }
    if (sequenced != null && sequenced.isStarting()) {
      if (!sequenced.queue(event)) {
        closeTooSlow("client too slow: over " + SequencedOutbound.MAX_QUEUED_WHILE_STARTING
            + " publications queued while resuming");
      }
      return 0;
    }
    if (event instanceof RoomEvent.Gap gap) {
      outbound.handleGap(gap);
      return 0;
    }
    RoomEvent.Delivery delivery = (RoomEvent.Delivery) event;
    if (isOwn(delivery.publication()) || !writer.isOpen()) {
      return 0;
    }
    // A closed channel is unwritable too, so the check above keeps a closing client from
    // counting as too slow.
    if (!writer.isWritable()) {
      closeTooSlow(outbound.tooSlowReason(services.settings().maxPendingBytesPerConnection()));
      return 0;
    }
    return outbound.deliver(frames);
  }

  void flush() {
    if (!closing) {
      writer.flush();
    }
  }

  /** Closes the connection with a close code and reason; used by node drain and by limits. */
  void close(short code, String reason) {
    if (closing) {
      return;
    }
    closing = true;
    stopPinging();
    webSocket.close(code, truncate(reason));
  }

  private void doStartSequenced(ResumeRequest resume) {
    services.vertx().executeBlocking(() -> resume == null
            ? HistoryReplay.fresh(services.bus(), topic())
            : HistoryReplay.resume(services.bus(), topic(), resume), false)
        .timeout(HISTORY_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .onComplete(result -> context.runOnContext(v -> handleReplay(result.result(), result.cause(), resume != null)));
  }

  private void handleReplay(HistoryReplay replay, Throwable failure, boolean resumed) {
    if (closing) {
      return;
    }
    if (failure != null) {
      LOG.warn("Connection {} on topic {}: failed to read history, closing with 1011", id, topic(), failure);
      close((short) 1011, "failed to read history: " + failure.getMessage());
      return;
    }
    int written = sequenced.start(replay, resumed);
    services.metrics().delivered(written);
    writer.flush();
    if (resumed && !replay.complete()) {
      LOG.debug("Connection {} on topic {}: resumed incomplete, {} stored publications replayed", id, topic(),
          replay.missed().size());
    }
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
      case TOO_BIG -> closeWith(ClientError.MESSAGE_TOO_BIG, tooBigReason());
      case INVALID_UTF8 -> closeWith(ClientError.INVALID_UTF8, "invalid UTF-8 in text message");
      case UNEXPECTED_CONTINUATION -> close((short) 1002, "continuation frame without a first frame");
      case INCOMPLETE -> {
      }
    }
  }

  private void doPublish(PayloadKind kind, ByteBuf message) {
    Publication publication = Publication.of(kind, services.nodeId(), id, message.nioBuffer());
    assembler.reset();

    waitingToPublish.add(publication);
    if (waitingToPublish.size() >= services.settings().maxPublishesInFlightPerConnection() && !readingPaused) {
      readingPaused = true;
      webSocket.pause();
    }
    if (!publishing) {
      doPublishWaiting();
    }
  }

  private void doPublishWaiting() {
    List<Publication> batch = new ArrayList<>(waitingToPublish);
    waitingToPublish.clear();
    publishing = true;
    services.bus().publishAll(topic(), batch)
        .whenComplete((sequence, failure) -> context.runOnContext(v -> handlePublished(batch.size(), failure)));
  }

  private void handlePublished(int count, Throwable failure) {
    publishing = false;
    if (failure != null) {
      LOG.warn("Connection {} on topic {}: publish of {} messages failed, closing with 1011", id, topic(), count, failure);
      closeWith(ClientError.PUBLISH_FAILED, "publish failed: " + failure.getMessage());
      return;
    }
    services.metrics().publicationsAccepted(count);

    if (!waitingToPublish.isEmpty() && !closing) {
      doPublishWaiting();
    }
    if (readingPaused && !closing) {
      readingPaused = false;
      webSocket.resume();
    }
  }

  private void closeWith(ClientError error, String reason) {
    if (closing) {
      return;
    }
    services.metrics().clientError(error);
    LOG.debug("Connection {} on topic {}: closing with {} because {}", id, topic(), error.code(), reason);
    close((short) error.code(), reason);
  }

  // The client does not read, so a close handshake through Vert.x could wait on it forever. The
  // close frame goes behind the queued frames instead, and the connection ends when it is sent
  // or when the drain timeout passes.
  private void closeTooSlow(String reason) {
    if (closing) {
      return;
    }
    closing = true;
    stopPinging();
    services.metrics().clientError(ClientError.TOO_SLOW);
    LOG.debug("Connection {} on topic {}: closing with 1013 because {}", id, topic(), reason);
    writer.closeAfterQueued(ClientError.TOO_SLOW.code(), truncate(reason), services.settings().drainTimeout());
  }

  private String tooBigReason() {
    return "message too big: limit is " + services.settings().maxMessageBytes() + " bytes";
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
    // assembler reads it; Vert.x reports that here instead of sending a close frame.
    if (failure instanceof CorruptedWebSocketFrameException corrupted) {
      int code = corrupted.closeStatus().code();
      if (code == ClientError.MESSAGE_TOO_BIG.code()) {
        closeWith(ClientError.MESSAGE_TOO_BIG, tooBigReason());
      } else {
        LOG.debug("Connection {} on topic {}: closing with {} because {}", id, topic(), code, corrupted.getMessage());
        close((short) code, corrupted.closeStatus().reasonText());
      }
      return;
    }
    LOG.debug("Connection {} on topic {}: {}", id, topic(), failure.toString());
  }
}
