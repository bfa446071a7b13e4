package io.roomcast.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.roomcast.session.MessageAssembler.Outcome;
import io.roomcast.topic.PayloadKind;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MessageAssemblerTest {

  private final MessageAssembler assembler = new MessageAssembler(8);

  @Test
  void singleFrameCompletes() {
    assertThat(assembler.handleFirst(PayloadKind.TEXT, text("hello"), true)).isEqualTo(Outcome.COMPLETE);
    assertThat(assembler.message().toString(StandardCharsets.UTF_8)).isEqualTo("hello");
  }

  @Test
  void fragmentsAreJoined() {
    assertThat(assembler.handleFirst(PayloadKind.BINARY, text("ab"), false)).isEqualTo(Outcome.INCOMPLETE);
    assertThat(assembler.handleContinuation(text("cd"), false)).isEqualTo(Outcome.INCOMPLETE);
    assertThat(assembler.handleContinuation(text("ef"), true)).isEqualTo(Outcome.COMPLETE);
    assertThat(assembler.kind()).isEqualTo(PayloadKind.BINARY);
    assertThat(assembler.message().toString(StandardCharsets.UTF_8)).isEqualTo("abcdef");
  }

  @Test
  void limitCountsWholeMessage() {
    assertThat(assembler.handleFirst(PayloadKind.TEXT, text("12345"), false)).isEqualTo(Outcome.INCOMPLETE);
    assertThat(assembler.handleContinuation(text("6789"), true)).isEqualTo(Outcome.TOO_BIG);
    assertThat(assembler.handleFirst(PayloadKind.TEXT, text("123456789"), true)).isEqualTo(Outcome.TOO_BIG);
    assertThat(assembler.handleFirst(PayloadKind.TEXT, text("12345678"), true)).isEqualTo(Outcome.COMPLETE);
  }

  @Test
  void textMustBeValidUtf8EvenAcrossFragments() {
    byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
    assertThat(assembler.handleFirst(PayloadKind.TEXT, Unpooled.wrappedBuffer(euro, 0, 1), false)).isEqualTo(Outcome.INCOMPLETE);
    assertThat(assembler.handleContinuation(Unpooled.wrappedBuffer(euro, 1, 2), true)).isEqualTo(Outcome.COMPLETE);

    assertThat(assembler.handleFirst(PayloadKind.TEXT, Unpooled.wrappedBuffer(new byte[] {(byte) 0xc3, 0x28}), true))
        .isEqualTo(Outcome.INVALID_UTF8);
    assertThat(assembler.handleFirst(PayloadKind.BINARY, Unpooled.wrappedBuffer(new byte[] {(byte) 0xc3, 0x28}), true))
        .isEqualTo(Outcome.COMPLETE);
  }

  @Test
  void continuationWithoutFirstFrameIsRejected() {
    assertThat(assembler.handleContinuation(text("x"), true)).isEqualTo(Outcome.UNEXPECTED_CONTINUATION);
  }

  private static io.netty.buffer.ByteBuf text(String text) {
    return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
  }
}
