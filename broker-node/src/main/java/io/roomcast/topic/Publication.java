package io.roomcast.topic;

import java.nio.ByteBuffer;

/**
 * One message published to a topic, in the byte layout that travels through the cluster.
 *
 * <p>The layout is one kind byte, the origin node id and origin connection id as two big-endian
 * longs, then the payload. Nodes deliver the payload straight from this array, so a publication
 * is copied once into the cluster and never again per delivery.
 */
public final class Publication {

  /** Origin connection id of publications that no WebSocket connection sent, such as HTTP publishes. */
  public static final long NO_CONNECTION = 0;

  static final int HEADER_BYTES = 1 + Long.BYTES + Long.BYTES;
  private static final byte TEXT = 'T';
  private static final byte BINARY = 'B';

  private final byte[] wire;
  private final long originNode;
  private final long originConnection;

  private Publication(byte[] wire) {
    this.wire = wire;
    ByteBuffer header = ByteBuffer.wrap(wire);
    this.originNode = header.getLong(1);
    this.originConnection = header.getLong(1 + Long.BYTES);
  }

  /** Builds a publication; {@code payload} is read from its position to its limit. */
  public static Publication of(PayloadKind kind, long originNode, long originConnection, ByteBuffer payload) {
    byte[] wire = new byte[HEADER_BYTES + payload.remaining()];
    ByteBuffer out = ByteBuffer.wrap(wire);

    out.put(kind == PayloadKind.TEXT ? TEXT : BINARY);
    out.putLong(originNode);
    out.putLong(originConnection);
    out.put(payload.duplicate());
    return new Publication(wire);
  }

  /** Wraps bytes received from the cluster; throws {@link IllegalArgumentException} when they are not a publication. */
  public static Publication fromWire(byte[] wire) {
    if (wire.length < HEADER_BYTES || (wire[0] != TEXT && wire[0] != BINARY)) {
      throw new IllegalArgumentException("not a publication: " + wire.length + " bytes, kind byte "
          + (wire.length > 0 ? wire[0] : "missing"));
    }
    return new Publication(wire);
  }

  /** Returns the array that travels through the cluster. Callers must not modify it. */
  public byte[] wire() {
    return wire;
  }

  public PayloadKind kind() {
    return wire[0] == TEXT ? PayloadKind.TEXT : PayloadKind.BINARY;
  }

  public long originNode() {
    return originNode;
  }

  public long originConnection() {
    return originConnection;
  }

  public int payloadOffset() {
    return HEADER_BYTES;
  }

  public int payloadLength() {
    return wire.length - HEADER_BYTES;
  }

  /** Returns a read-only view of the payload. */
  public ByteBuffer payload() {
    return ByteBuffer.wrap(wire, HEADER_BYTES, payloadLength()).slice().asReadOnlyBuffer();
  }
}
