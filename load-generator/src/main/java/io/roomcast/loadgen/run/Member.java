package io.roomcast.loadgen.run;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One WebSocket connection of a run, in one room: it receives and checks every publication of the
 * room's other publishers, and publishes when it has a slot.
 *
 * <p>Threading: after {@link #attach} every method except {@link #acknowledge} runs on the
 * worker's event loop. The fields the final check reads are written there and handed over through
 * the worker's futures.
 *
 * <p>Checks: each publisher numbers its publications 1, 2, ...; a member expects the next number
 * from each slot. A higher number counts the skipped ones as lost, the same number again as a
 * duplicate, and a lower one as reordered (it was counted lost when the gap appeared). Publications
 * the member never received by the end count as lost in the final check.
 *
 * <p>Room order: every member also folds the (slot, sequence) pairs it receives, in arrival order,
 * into {@link #orderHash()}. Members that do not publish and received everything must end with
 * the same hash as the other such members of their room, since a room has one order.
 */
public final class Member {

  public static final int NO_SLOT = -1;

  private final Room room;
  private final int slot;
  private final int nodeIndex;
  private Worker worker;
  private ClientWebSocket webSocket;
  private long[] lastSequence;
  private boolean open;
  private boolean closedByGenerator;
  private long sent;
  private long received;
  private long orderHash;

  // Window mode: the room's probe subscriber stores the highest sequence of this publisher it
  // received, and wakes the publisher when it waits for room in its window.
  private final AtomicLong acknowledged = new AtomicLong();
  private volatile boolean waitingForAcknowledgement;

  Member(Room room, int slot, int nodeIndex) {
    this.room = room;
    this.slot = slot;
    this.nodeIndex = nodeIndex;
  }

  public Room room() {
    return room;
  }

  public int slot() {
    return slot;
  }

  public boolean publishes() {
    return slot != NO_SLOT;
  }

  public int nodeIndex() {
    return nodeIndex;
  }

  boolean isOpen() {
    return open;
  }

  long sent() {
    return sent;
  }

  long received() {
    return received;
  }

  Worker worker() {
    return worker;
  }

  /** Takes over a WebSocket before it connects, so no frame arrives without a handler. */
  void attach(Worker worker, ClientWebSocket webSocket) {
    this.worker = worker;
    this.webSocket = webSocket;
    this.lastSequence = new long[room.slotCount()];
    webSocket.handler(this::handleData);
    webSocket.closeHandler(ignored -> handleClose());
    webSocket.exceptionHandler(worker::handleException);
  }

  void handleConnected() {
    open = true;
    worker.handleOpened();
  }

  /** Closes the connection with 1000 at the end of a run. */
  Future<Void> close() {
    if (!open) {
      return Future.succeededFuture();
    }
    closedByGenerator = true;
    return webSocket.close((short) 1000, "load run finished");
  }

  /** Sends one publication; returns false without sending when the connection's write queue is full. */
  boolean publishOne() {
    if (!open || webSocket.writeQueueFull()) {
      return false;
    }
    sent++;
    FrameKind kind = worker.settings().frameKind();
    Buffer payload = Payload.encode(kind, worker.settings().payloadBytes(), room.index(), slot, sent,
        Payload.clockNanos());
    if (kind == FrameKind.TEXT) {
      webSocket.writeTextMessage(payload.toString());
    } else {
      webSocket.writeBinaryMessage(payload);
    }
    return true;
  }

  /**
   * Window mode: publishes while fewer than {@code window} publications wait for the probe, and
   * resumes when the probe or the connection's drain wakes it.
   */
  void pumpWindow(int window) {
    while (worker.isPublishing() && open) {
      if (sent - acknowledged.get() >= window) {
        waitingForAcknowledgement = true;
        // Read again after announcing the wait: an acknowledgement stored in between would
        // otherwise find no waiter and the publisher would stall.
        if (sent - acknowledged.get() >= window) {
          return;
        }
        waitingForAcknowledgement = false;
      }
      if (webSocket.writeQueueFull()) {
        webSocket.drainHandler(ignored -> pumpWindow(window));
        return;
      }
      publishOne();
      worker.countPublication();
    }
  }

  /** Stores the probe's progress for this publisher; called on the probe's event loop. */
  void acknowledge(long sequence, int window) {
    acknowledged.set(sequence);
    if (waitingForAcknowledgement) {
      waitingForAcknowledgement = false;
      worker.context().runOnContext(ignored -> pumpWindow(window));
    }
  }

  /** Returns publications this member should have received but did not; call after publishing stopped. */
  /** Returns a hash of the order in which this member received publications; see the class comment. */
  long orderHash() {
    return orderHash;
  }

  long missing() {
    long missing = 0;
    for (int i = 0; i < lastSequence.length; i++) {
      if (i != slot) {
        missing += Math.max(0, room.sent(i) - lastSequence[i]);
      }
    }
    return missing;
  }

  /** Returns publications this member should receive by the end; call after publishing stopped. */
  long expected() {
    long expected = 0;
    for (int i = 0; i < room.slotCount(); i++) {
      if (i != slot) {
        expected += room.sent(i);
      }
    }
    return expected;
  }

  private void handleData(Buffer data) {
    Payload.Fields fields = worker.fields();
    if (!Payload.decode(worker.settings().frameKind(), data, fields)
        || fields.room != room.index() || fields.slot < 0 || fields.slot >= lastSequence.length) {
      worker.countInvalid();
      return;
    }
    received++;
    orderHash = (orderHash ^ ((long) fields.slot << 40 ^ fields.sequence)) * 0x9E3779B97F4A7C15L;
    worker.recordDelivery(Payload.clockNanos() - fields.sentNanos);

    long expected = lastSequence[fields.slot] + 1;
    if (fields.sequence == expected) {
      lastSequence[fields.slot] = fields.sequence;
    } else if (fields.sequence > expected) {
      worker.countLost(fields.sequence - expected);
      lastSequence[fields.slot] = fields.sequence;
    } else if (fields.sequence == expected - 1) {
      worker.countDuplicate();
    } else {
      worker.countReordered();
    }

    if (room.probe() == this && worker.settings().window() > 0 && fields.slot < room.publishers().size()) {
      room.publishers().get(fields.slot).acknowledge(fields.sequence, worker.settings().window());
    }
  }

  private void handleClose() {
    boolean wasOpen = open;
    open = false;
    if (wasOpen) {
      worker.handleClosed();
    }
    if (wasOpen && !closedByGenerator) {
      Short code = webSocket.closeStatusCode();
      worker.countClose(code == null ? 1006 : code);
    }
  }
}
