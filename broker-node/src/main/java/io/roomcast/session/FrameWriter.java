package io.roomcast.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;

/**
 * Writes WebSocket frames to one connection's Netty channel without flushing, so that a batch of
 * frames leaves in one flush. Use on the connection's event loop only.
 */
final class FrameWriter {

  private final ChannelHandlerContext channel;
  private final ChannelHandlerContext belowEncoder;
  private final boolean acceptsEncodedFrames;

  FrameWriter(ChannelHandlerContext channel) {
    this.channel = channel;
    // A permessage-deflate encoder must see frames, not bytes, so such connections never take
    // frames encoded for the whole group.
    this.acceptsEncodedFrames = channel.pipeline().get(WebSocketExtensionEncoder.class) == null;
    // Encoded frames start their way out at the frame encoder's own context, so they skip it.
    ChannelHandlerContext encoder = channel.pipeline().context(WebSocketFrameEncoder.class);
    this.belowEncoder = encoder != null ? encoder : channel;
  }

  /** Returns whether this connection may write frames from {@link EncodedFrames}. */
  boolean acceptsEncodedFrames() {
    return acceptsEncodedFrames;
  }

  ByteBufAllocator allocator() {
    return channel.alloc();
  }

  /** Writes a frame already encoded for the group; the group keeps its own reference. */
  void writeEncoded(ByteBuf frame) {
    belowEncoder.write(frame.retainedDuplicate(), belowEncoder.voidPromise());
  }

  /** Returns whether the connection is open; a closed one takes no more frames. */
  boolean isOpen() {
    return channel.channel().isActive();
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

  /**
   * Queues a close frame behind everything already written, and closes the connection once it is
   * sent or, at the latest, after {@code timeout}. Unlike a WebSocket close handshake this needs
   * nothing from the client, so it also ends connections whose client stopped reading.
   */
  void closeAfterQueued(int code, String reason, Duration timeout) {
    channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
    channel.executor().schedule(() -> {
      channel.close();
    }, timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
