package io.roomcast.loadgen.run;

/** The WebSocket frame type the generator publishes with; the node delivers the same type. */
public enum FrameKind {
  TEXT,
  BINARY
}
