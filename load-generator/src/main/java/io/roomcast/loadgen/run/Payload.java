package io.roomcast.loadgen.run;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * The body of every publication the generator sends: the room index, the publisher's slot in the
 * room, the publisher's sequence (1, 2, ...) and the send time, padded to the requested size.
 *
 * <p>Send times come from {@link #clockNanos()}, which counts from a fixed point taken when this
 * class loads, so they are positive and comparable across the generator's threads, but not across
 * processes.
 *
 * <p>Binary frames hold the four fields as big-endian int, int, long, long (24 bytes). Text frames
 * hold them as fixed-width lowercase hex after the letters {@code R}, {@code P}, {@code Q} and
 * {@code T} (52 ASCII characters), so that every text payload is valid UTF-8. Padding is
 * {@code x} characters in both kinds.
 */
public final class Payload {

  public static final int BINARY_HEADER_BYTES = 24;
  public static final int TEXT_HEADER_BYTES = 52;
  private static final byte PADDING = 'x';
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final long CLOCK_ORIGIN = System.nanoTime();

  /** The fields of one decoded payload; one instance is reused per event loop. */
  public static final class Fields {
    public int room;
    public int slot;
    public long sequence;
    public long sentNanos;
  }

  private Payload() {
  }

  /** Returns the generator's clock: nanoseconds since this class loaded. */
  public static long clockNanos() {
    return System.nanoTime() - CLOCK_ORIGIN;
  }

  /** Returns the smallest payload size that contains the fields in the given frame kind. */
  public static int minimumSize(FrameKind kind) {
    return kind == FrameKind.TEXT ? TEXT_HEADER_BYTES : BINARY_HEADER_BYTES;
  }

  /** Encodes a payload of {@code size} bytes; {@code size} must be at least {@link #minimumSize}. */
  public static Buffer encode(FrameKind kind, int size, int room, int slot, long sequence, long sentNanos) {
    if (size < minimumSize(kind)) {
      throw new IllegalArgumentException("payload size " + size + " is below the minimum of " + minimumSize(kind)
          + " bytes for " + kind + " frames");
    }
    Buffer buffer = Buffer.buffer(size);
    if (kind == FrameKind.BINARY) {
      buffer.appendInt(room).appendInt(slot).appendLong(sequence).appendLong(sentNanos);
    } else {
      appendHexField(buffer, 'R', room, 8);
      appendHexField(buffer, 'P', slot, 8);
      appendHexField(buffer, 'Q', sequence, 16);
      appendHexField(buffer, 'T', sentNanos, 16);
    }
    for (int i = buffer.length(); i < size; i++) {
      buffer.appendByte(PADDING);
    }
    return buffer;
  }

  /**
   * Decodes a payload into {@code into}; returns false when the data is not a payload of the given
   * kind (too short, or a text header with other letters or digits).
   */
  public static boolean decode(FrameKind kind, Buffer data, Fields into) {
    if (data.length() < minimumSize(kind)) {
      return false;
    }
    if (kind == FrameKind.BINARY) {
      into.room = data.getInt(0);
      into.slot = data.getInt(4);
      into.sequence = data.getLong(8);
      into.sentNanos = data.getLong(16);
      return true;
    }
    if (data.getByte(0) != 'R' || data.getByte(9) != 'P' || data.getByte(18) != 'Q' || data.getByte(35) != 'T') {
      return false;
    }
    long room = parseHex(data, 1, 8);
    long slot = parseHex(data, 10, 8);
    long sequence = parseHex(data, 19, 16);
    long sentNanos = parseHex(data, 36, 16);
    if (room < 0 || slot < 0 || sequence < 0 || sentNanos < 0) {
      return false;
    }
    into.room = (int) room;
    into.slot = (int) slot;
    into.sequence = sequence;
    into.sentNanos = sentNanos;
    return true;
  }

  private static void appendHexField(Buffer buffer, char letter, long value, int digits) {
    buffer.appendByte((byte) letter);
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
      buffer.appendByte(HEX[(int) ((value >>> shift) & 0xf)]);
    }
  }

  // Returns -1 for a character that is not a lowercase hex digit. A 16-digit field can encode a
  // negative long; the caller rejects those, since sequences and clock values are positive.
  private static long parseHex(Buffer data, int offset, int digits) {
    long value = 0;
    for (int i = 0; i < digits; i++) {
      byte c = data.getByte(offset + i);
      int digit;
      if (c >= '0' && c <= '9') {
        digit = c - '0';
      } else if (c >= 'a' && c <= 'f') {
        digit = c - 'a' + 10;
      } else {
        return -1;
      }
      value = (value << 4) | digit;
    }
    return value;
  }
}
