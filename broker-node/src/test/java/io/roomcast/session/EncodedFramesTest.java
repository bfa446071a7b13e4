package io.roomcast.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.roomcast.topic.PayloadKind;
import io.roomcast.topic.Publication;
import java.nio.ByteBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Compares the encoded frames byte for byte with Netty's own server-side frame encoder. */
class EncodedFramesTest {

  @ParameterizedTest(name = "{0} payload bytes")
  @ValueSource(ints = {0, 1, 125, 126, 127, 65535, 65536, 70000})
  void rawFramesMatchNettyEncoder(int length) {
    byte[] payload = new byte[length];
    for (int i = 0; i < length; i++) {
      payload[i] = (byte) ('a' + i % 26);
    }
    for (PayloadKind kind : PayloadKind.values()) {
      Publication publication = Publication.of(kind, 1, 2, ByteBuffer.wrap(payload));
      EncodedFrames frames = new EncodedFrames(new RoomEvent.Delivery(0, "e", publication));
      WebSocketFrame expected = kind == PayloadKind.TEXT
          ? new TextWebSocketFrame(Unpooled.wrappedBuffer(payload))
          : new BinaryWebSocketFrame(Unpooled.wrappedBuffer(payload));

      ByteBuf encoded = frames.raw(ByteBufAllocator.DEFAULT);

      assertThat(ByteBufUtil.getBytes(encoded)).as("%s frame of %d bytes", kind, length).isEqualTo(nettyEncoded(expected));
      frames.release();
      assertThat(encoded.refCnt()).isZero();
    }
  }

  private static byte[] nettyEncoded(WebSocketFrame frame) {
    EmbeddedChannel channel = new EmbeddedChannel(new WebSocket08FrameEncoder(false));
    channel.writeOutbound(frame);
    ByteBuf joined = Unpooled.buffer();
    ByteBuf part;
    while ((part = channel.readOutbound()) != null) {
      joined.writeBytes(part);
      part.release();
    }
    channel.finishAndReleaseAll();
    return ByteBufUtil.getBytes(joined);
  }
}
