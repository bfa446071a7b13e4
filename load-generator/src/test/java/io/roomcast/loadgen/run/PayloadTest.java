package io.roomcast.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PayloadTest {

  @ParameterizedTest
  @EnumSource(FrameKind.class)
  void decodesWhatItEncodes(FrameKind kind) {
    Buffer payload = Payload.encode(kind, 200, 12345, 7, 987654321L, 1_000_000_007L);
    Payload.Fields fields = new Payload.Fields();

    assertThat(Payload.decode(kind, payload, fields)).isTrue();
    assertThat(payload.length()).isEqualTo(200);
    assertThat(fields.room).isEqualTo(12345);
    assertThat(fields.slot).isEqualTo(7);
    assertThat(fields.sequence).isEqualTo(987654321L);
    assertThat(fields.sentNanos).isEqualTo(1_000_000_007L);
  }

  @Test
  void textPayloadIsAscii() {
    Buffer payload = Payload.encode(FrameKind.TEXT, Payload.TEXT_HEADER_BYTES, 1, 2, 3, 4);

    assertThat(payload.toString(StandardCharsets.US_ASCII))
        .isEqualTo("R00000001P00000002Q0000000000000003T0000000000000004");
  }

  @Test
  void rejectsForeignText() {
    Buffer other = Buffer.buffer("hello from a person typing in the same room, long enough to pass");

    assertThat(Payload.decode(FrameKind.TEXT, other, new Payload.Fields())).isFalse();
  }

  @Test
  void rejectsShortData() {
    assertThat(Payload.decode(FrameKind.BINARY, Buffer.buffer(new byte[23]), new Payload.Fields())).isFalse();
    assertThat(Payload.decode(FrameKind.TEXT, Buffer.buffer("R0"), new Payload.Fields())).isFalse();
  }

  @Test
  void rejectsSizeBelowHeader() {
    assertThatThrownBy(() -> Payload.encode(FrameKind.TEXT, 51, 0, 0, 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("payload size 51 is below the minimum of 52");
  }
}
