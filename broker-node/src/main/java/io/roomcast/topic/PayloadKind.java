package io.roomcast.topic;

/** The WebSocket frame type a publication is delivered as. */
public enum PayloadKind {
  TEXT,
  BINARY
}
