package io.roomcast.session;

import io.roomcast.topic.PayloadKind;
import io.roomcast.topic.Publication;

/** Writes each publication's payload as it was sent, as a text or binary frame. */
final class RawOutbound implements Outbound {

  private final FrameWriter writer;

  RawOutbound(FrameWriter writer) {
    this.writer = writer;
  }

  @Override
  public int deliver(EncodedFrames frames) {
    if (writer.acceptsEncodedFrames()) {
      writer.writeEncoded(frames.raw(writer.allocator()));
      return 1;
    }
    Publication publication = frames.delivery().publication();
    writer.write(publication.kind() == PayloadKind.TEXT, publication.wire(), publication.payloadOffset(),
        publication.payloadLength());
    return 1;
  }

  /** Raw clients have no sequences to report a gap against; the node logs and counts it. */
  @Override
  public void handleGap(RoomEvent.Gap gap) {
  }

  @Override
  public String tooSlowReason(int maxPendingBytes) {
    return "client too slow: more than " + maxPendingBytes + " bytes queued";
  }
}
