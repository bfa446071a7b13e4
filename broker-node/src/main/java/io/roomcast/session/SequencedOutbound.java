package io.roomcast.session;

import io.roomcast.topic.TopicBus.StoredPublication;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * Writes publications as JSON frames with their sequence and epoch, for clients that negotiated
 * the {@code roomcast.v1} subprotocol.
 *
 * <p>Until the session's {@link HistoryReplay} arrives, live events are queued. Then the session
 * writes either a {@code joined} frame (fresh join) or the missed publications and a
 * {@code recovered} frame (resume), then the queued events, then live ones. Every publication at
 * or below the last written sequence is dropped, so the seam between history and live delivery
 * has no duplicate, and history covers everything up to where live delivery started, so it has
 * no gap.
 */
final class SequencedOutbound implements Outbound {

  /** Live events a starting session may queue before it counts as too slow. */
  static final int MAX_QUEUED_WHILE_STARTING = 10_000;

  private final FrameWriter writer;
  private Queue<RoomEvent> queuedWhileStarting = new ArrayDeque<>();
  private String epoch;
  private long lastSequence = -1;

  SequencedOutbound(FrameWriter writer) {
    this.writer = writer;
  }

  boolean isStarting() {
    return queuedWhileStarting != null;
  }

  /** Returns false when the session queued too many events while starting. */
  boolean queue(RoomEvent event) {
    queuedWhileStarting.add(event);
    return queuedWhileStarting.size() <= MAX_QUEUED_WHILE_STARTING;
  }

  /** Writes the start frames and the queued events; returns how many publications were written. */
  int start(HistoryReplay replay, boolean resumed) {
    epoch = replay.epoch();
    int written = 0;
    if (resumed) {
      lastSequence = replay.missed().isEmpty() ? replay.startAfter() : replay.missed().get(0).sequence() - 1;
      for (StoredPublication stored : replay.missed()) {
        written += write(new RoomEvent.Delivery(stored.sequence(), epoch, stored.publication()), null);
      }
      writeControl(new JsonObject().put("type", "recovered").put("complete", replay.complete())
          .put("seq", lastSequence).put("epoch", epoch));
    } else {
      lastSequence = replay.startAfter();
      writeControl(new JsonObject().put("type", "joined").put("seq", lastSequence).put("epoch", epoch));
    }

    Queue<RoomEvent> queued = queuedWhileStarting;
    queuedWhileStarting = null;
    for (RoomEvent event : queued) {
      if (event instanceof RoomEvent.Delivery delivery) {
        written += write(delivery, null);
      } else if (event instanceof RoomEvent.Gap gap) {
        handleGap(gap);
      }
    }
    return written;
  }

  @Override
  public int deliver(EncodedFrames frames) {
    return write(frames.delivery(), frames);
  }

  /** Writes a delivery, from {@code frames} when given and the connection allows. */
  private int write(RoomEvent.Delivery delivery, EncodedFrames frames) {
    if (!delivery.epoch().equals(epoch)) {
      // The topic's history restarted: sequences of the new epoch start over.
      epoch = delivery.epoch();
      lastSequence = delivery.sequence() - 1;
      writeControl(new JsonObject().put("type", "reset").put("complete", false)
          .put("seq", lastSequence).put("epoch", epoch));
    }
    if (delivery.sequence() <= lastSequence) {
      return 0;
    }
    lastSequence = delivery.sequence();
    if (frames != null && writer.acceptsEncodedFrames()) {
      writer.writeEncoded(frames.sequenced(writer.allocator()));
    } else {
      writer.writeText(delivery.sequencedFrame());
    }
    return 1;
  }

  @Override
  public void handleGap(RoomEvent.Gap gap) {
    if (gap.fromSequence() + gap.count() - 1 <= lastSequence) {
      return;
    }
    writeControl(new JsonObject().put("type", "gap").put("complete", false)
        .put("seq", gap.fromSequence()).put("count", gap.count()).put("epoch", epoch));
  }

  @Override
  public String tooSlowReason(int maxPendingBytes) {
    return "client too slow; resume with since=" + lastSequence + "&epoch=" + epoch;
  }

  private void writeControl(JsonObject frame) {
    writer.writeText(frame.encode().getBytes(StandardCharsets.UTF_8));
  }
}
