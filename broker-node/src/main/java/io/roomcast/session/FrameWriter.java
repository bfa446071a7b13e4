package io.roomcast.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

/**
 * Writes WebSocket frames to one connection's Netty channel without flushing, so that a batch of
 * frames leaves in one flush. Use on the connection's event loop only.
 */
final class FrameWriter {

  private final ChannelHandlerContext channel;

  FrameWriter(ChannelHandlerContext channel) {
    this.channel = channel;
  }

  /** Returns whether the channel's outbound queue is below its high water mark. */
  boolean isWritable() {
    return channel.channel().isWritable();
  }

  /** Writes a frame whose payload is a slice of {@code bytes}, without copying them. */
  void write(boolean text, byte[] bytes, int offset, int length) {
    ByteBuf payload = Unpooled.wrappedBuffer(bytes, offset, length);
    if (text) {
      channel.write(new TextWebSocketFrame(payload), channel.voidPromise());
    } else {
      channel.write(new BinaryWebSocketFrame(payload), channel.voidPromise());
    }
  }

  void writeText(byte[] utf8) {
    write(true, utf8, 0, utf8.length);
  }

  void flush() {
    channel.flush();
  }
}
