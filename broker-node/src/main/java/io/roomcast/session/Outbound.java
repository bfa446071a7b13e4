package io.roomcast.session;

/**
 * Frame encoding of a session's room events: raw payloads, or sequenced JSON frames. Called on
 * the session's event loop; writes without flushing.
 */
interface Outbound {

  /** Writes a publication, from {@code frames} when the connection allows; returns how many frames were written. */
  int deliver(EncodedFrames frames);

  /** Tells the client about publications this node missed. */
  void handleGap(RoomEvent.Gap gap);

  /** Returns the close reason for a client that reads too slowly. */
  String tooSlowReason(int maxPendingBytes);
}
