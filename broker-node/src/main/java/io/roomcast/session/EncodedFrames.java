package io.roomcast.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.roomcast.topic.PayloadKind;
import io.roomcast.topic.Publication;

/**
 * The wire bytes of one publication's WebSocket frames, encoded once per event loop and written to
 * every member of a {@link MemberGroup}. Each member writes a retained duplicate, so a delivery
 * costs no encoding and no copy; {@link #release()} drops the group's own reference afterwards.
 *
 * <p>The frames are server frames as RFC 6455 section 5.2 lays them out: FIN and opcode, the
 * payload length in 7, 16 or 64 bits, no mask, then the payload. Netty's WebSocket encoder passes
 * a {@link ByteBuf} through untouched, so these bytes reach the socket as they are. Connections
 * with permessage-deflate must not use them.
 */
final class EncodedFrames {

  private static final int OPCODE_TEXT = 0x1;
  private static final int OPCODE_BINARY = 0x2;
  private static final int FIN = 0x80;

  private final RoomEvent.Delivery delivery;
  private ByteBuf raw;
  private ByteBuf sequenced;

  EncodedFrames(RoomEvent.Delivery delivery) {
    this.delivery = delivery;
  }

  RoomEvent.Delivery delivery() {
    return delivery;
  }

  /**
   * Returns the publication's payload as a text or binary frame, encoded on first use with
   * {@code allocator}; the caller must not release it.
   */
  ByteBuf raw(ByteBufAllocator allocator) {
    if (raw == null) {
      Publication publication = delivery.publication();
      int opcode = publication.kind() == PayloadKind.TEXT ? OPCODE_TEXT : OPCODE_BINARY;
      raw = encode(allocator, opcode, publication.wire(), publication.payloadOffset(), publication.payloadLength());
    }
    return raw;
  }

  /** Returns the publication's sequenced JSON frame, encoded on first use; the caller must not release it. */
  ByteBuf sequenced(ByteBufAllocator allocator) {
    if (sequenced == null) {
      byte[] json = delivery.sequencedFrame();
      sequenced = encode(allocator, OPCODE_TEXT, json, 0, json.length);
    }
    return sequenced;
  }

  void release() {
    if (raw != null) {
      raw.release();
    }
    if (sequenced != null) {
      sequenced.release();
    }
  }

  private static ByteBuf encode(ByteBufAllocator allocator, int opcode, byte[] payload, int offset, int length) {
    ByteBuf frame = allocator.directBuffer(10 + length);
    frame.writeByte(FIN | opcode);
    if (length < 126) {
      frame.writeByte(length);
    } else if (length <= 0xFFFF) {
      frame.writeByte(126);
      frame.writeShort(length);
    } else {
      frame.writeByte(127);
      frame.writeLong(length);
    }
    frame.writeBytes(payload, offset, length);
    return frame;
  }
}
