package io.roomcast.session;

import io.roomcast.topic.PayloadKind;
import io.roomcast.topic.Publication;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** An event a room queues for its sessions: a publication, or a gap in the topic. */
sealed interface RoomEvent {

  /**
   * A publication at its sequence in the topic's history of {@code epoch}. The JSON frame for
   * sequenced sessions is built once, on first use, and shared by every session of the node.
   */
  final class Delivery implements RoomEvent {

    private final long sequence;
    private final String epoch;
    private final Publication publication;
    private volatile byte[] sequencedFrame;

    Delivery(long sequence, String epoch, Publication publication) {
      this.sequence = sequence;
      this.epoch = epoch;
      this.publication = publication;
    }

    long sequence() {
      return sequence;
    }

    String epoch() {
      return epoch;
    }

    Publication publication() {
      return publication;
    }

    /** Returns {@code {"seq":..,"epoch":..,"type":"text"|"binary","data":..}} as UTF-8 bytes. */
    byte[] sequencedFrame() {
      byte[] frame = sequencedFrame;
      if (frame == null) {
        // Two event loops may build it at once; both build the same bytes.
        frame = encode();
        sequencedFrame = frame;
      }
      return frame;
    }

    private byte[] encode() {
      byte[] wire = publication.wire();
      int offset = publication.payloadOffset();
      int length = publication.payloadLength();
      JsonObject json = new JsonObject().put("seq", sequence).put("epoch", epoch);
      if (publication.kind() == PayloadKind.TEXT) {
        json.put("type", "text").put("data", new String(wire, offset, length, StandardCharsets.UTF_8));
      } else {
        byte[] payload = java.util.Arrays.copyOfRange(wire, offset, offset + length);
        json.put("type", "binary").put("data", Base64.getEncoder().encodeToString(payload));
      }
      return json.encode().getBytes(StandardCharsets.UTF_8);
    }
  }

  /** Publications this node missed: {@code count} of them from {@code fromSequence} on. */
  record Gap(long fromSequence, long count) implements RoomEvent {
  }
}
