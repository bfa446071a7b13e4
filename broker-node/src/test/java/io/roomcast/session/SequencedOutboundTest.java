package io.roomcast.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.roomcast.topic.PayloadKind;
import io.roomcast.topic.Publication;
import io.roomcast.topic.TopicBus.StoredPublication;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SequencedOutboundTest {

  private EmbeddedChannel channel;
  private SequencedOutbound outbound;

  @BeforeEach
  void setUp() {
    ChannelInboundHandlerAdapter handler = new ChannelInboundHandlerAdapter();
    channel = new EmbeddedChannel(handler);
    ChannelHandlerContext context = channel.pipeline().context(handler);
    outbound = new SequencedOutbound(new FrameWriter(context));
  }

  @Test
  void freshJoinAnnouncesPositionThenDropsOlderQueued() {
    outbound.queue(delivery(4, "e1", "old"));
    outbound.queue(delivery(5, "e1", "new"));

    outbound.start(new HistoryReplay("e1", 4, List.of(), true), false);

    assertThat(written()).containsExactly(
        "{\"type\":\"joined\",\"seq\":4,\"epoch\":\"e1\"}",
        "{\"seq\":5,\"epoch\":\"e1\",\"type\":\"text\",\"data\":\"new\"}");
  }

  @Test
  void resumeWritesMissedThenSeamThenLiveWithoutDuplicates() {
    outbound.queue(delivery(7, "e1", "c"));
    outbound.queue(delivery(8, "e1", "d"));

    outbound.start(new HistoryReplay("e1", 7,
        List.of(stored(6, "b"), stored(7, "c")), true), true);
    outbound.deliver(frames(8, "e1", "d"));
    outbound.deliver(frames(9, "e1", "e"));

    assertThat(written()).extracting(text -> new JsonObject(text).getLong("seq"))
        .containsExactly(6L, 7L, 7L, 8L, 9L);
    assertThat(new JsonObject(written().get(2)).getString("type")).isEqualTo("recovered");
    assertThat(new JsonObject(written().get(2)).getBoolean("complete")).isTrue();
  }

  @Test
  void gapIsReportedIncomplete() {
    outbound.start(new HistoryReplay("e1", 2, List.of(), true), false);

    outbound.handleGap(new RoomEvent.Gap(3, 4));

    assertThat(written().get(1)).isEqualTo("{\"type\":\"gap\",\"complete\":false,\"seq\":3,\"count\":4,\"epoch\":\"e1\"}");
  }

  @Test
  void newEpochIsAnnouncedAsReset() {
    outbound.start(new HistoryReplay("e1", 10, List.of(), true), false);

    outbound.deliver(frames(0, "e2", "fresh"));

    assertThat(written()).containsExactly(
        "{\"type\":\"joined\",\"seq\":10,\"epoch\":\"e1\"}",
        "{\"type\":\"reset\",\"complete\":false,\"seq\":-1,\"epoch\":\"e2\"}",
        "{\"seq\":0,\"epoch\":\"e2\",\"type\":\"text\",\"data\":\"fresh\"}");
  }

  @Test
  void binaryDataIsBase64() {
    outbound.start(new HistoryReplay("e1", -1, List.of(), true), false);
    Publication binary = Publication.of(PayloadKind.BINARY, 1, 2, ByteBuffer.wrap(new byte[] {(byte) 0xff, 0, 1}));

    outbound.deliver(new EncodedFrames(new RoomEvent.Delivery(0, "e1", binary)));

    assertThat(new JsonObject(written().get(1)).getString("data")).isEqualTo("/wAB");
    assertThat(new JsonObject(written().get(1)).getString("type")).isEqualTo("binary");
  }

  @Test
  void tooSlowReasonNamesResumePosition() {
    outbound.start(new HistoryReplay("e1", 41, List.of(), true), false);

    assertThat(outbound.tooSlowReason(1024)).isEqualTo("client too slow; resume with since=41&epoch=e1");
  }

  /** Returns the text of every frame written, whether as a Netty frame or as encoded bytes. */
  private List<String> written() {
    channel.flushOutbound();
    List<String> texts = new ArrayList<>();
    for (Object message : channel.outboundMessages()) {
      if (message instanceof TextWebSocketFrame frame) {
        texts.add(frame.text());
      } else {
        ByteBuf bytes = (ByteBuf) message;
        int length = bytes.getByte(1) & 0x7f;
        int headerLength = length == 126 ? 4 : 2;
        texts.add(bytes.toString(headerLength, bytes.readableBytes() - headerLength, StandardCharsets.UTF_8));
      }
    }
    return texts;
  }

  private static EncodedFrames frames(long sequence, String epoch, String text) {
    return new EncodedFrames(delivery(sequence, epoch, text));
  }

  private static RoomEvent.Delivery delivery(long sequence, String epoch, String text) {
    return new RoomEvent.Delivery(sequence, epoch, publication(text));
  }

  private static StoredPublication stored(long sequence, String text) {
    return new StoredPublication(sequence, publication(text));
  }

  private static Publication publication(String text) {
    return Publication.of(PayloadKind.TEXT, 1, 2, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
  }
}
