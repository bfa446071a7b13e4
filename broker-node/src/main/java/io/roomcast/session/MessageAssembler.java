package io.roomcast.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.CharsetUtil;
import io.roomcast.topic.PayloadKind;

/**
 * Reassembles the frames of one connection into whole messages and checks each message's size
 * and, for text, its UTF-8. Confined to the connection's event loop.
 */
final class MessageAssembler {

  /** Result of handling one frame. */
  enum Outcome {
    INCOMPLETE,
    COMPLETE,
    TOO_BIG,
    INVALID_UTF8,
    UNEXPECTED_CONTINUATION
  }

  private final int maxMessageBytes;
  private PayloadKind kind;
  private CompositeByteBuf parts;
  private ByteBuf message;

  MessageAssembler(int maxMessageBytes) {
    this.maxMessageBytes = maxMessageBytes;
  }

  /** Handles the first frame of a message. */
  Outcome handleFirst(PayloadKind kind, ByteBuf data, boolean isFinal) {
    reset();
    this.kind = kind;
    if (isFinal) {
      return complete(data);
    }
    if (data.readableBytes() > maxMessageBytes) {
      return Outcome.TOO_BIG;
    }
    parts = Unpooled.compositeBuffer(Integer.MAX_VALUE);
    parts.addComponent(true, Unpooled.copiedBuffer(data));
    return Outcome.INCOMPLETE;
  }

  /** Handles a continuation frame. */
  Outcome handleContinuation(ByteBuf data, boolean isFinal) {
    if (parts == null) {
      return Outcome.UNEXPECTED_CONTINUATION;
    }
    if ((long) parts.readableBytes() + data.readableBytes() > maxMessageBytes) {
      reset();
      return Outcome.TOO_BIG;
    }
    parts.addComponent(true, Unpooled.copiedBuffer(data));
    if (!isFinal) {
      return Outcome.INCOMPLETE;
    }
    CompositeByteBuf whole = parts;
    parts = null;
    return complete(whole);
  }

  /** Returns the kind of the message just completed. */
  PayloadKind kind() {
    return kind;
  }

  /** Returns the message just completed; valid until the next frame. */
  ByteBuf message() {
    return message;
  }

  private Outcome complete(ByteBuf data) {
    if (data.readableBytes() > maxMessageBytes) {
      return Outcome.TOO_BIG;
    }
    if (kind == PayloadKind.TEXT && !ByteBufUtil.isText(data, CharsetUtil.UTF_8)) {
      return Outcome.INVALID_UTF8;
    }
    message = data;
    return Outcome.COMPLETE;
  }

  void reset() {
    message = null;
    if (parts != null) {
      parts.release();
      parts = null;
    }
  }
}
