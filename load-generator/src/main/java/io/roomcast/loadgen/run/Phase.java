package io.roomcast.loadgen.run;

/** The steps of a run, in order; counts are kept per phase. */
public enum Phase {
  /** Opening connections. */
  CONNECT,
  /** Publishing before measuring, so that both JVMs compile the per-message path first. */
  WARMUP,
  /** Publishing, or holding idle connections, for the measured duration. */
  MEASURE,
  /** Waiting for deliveries still on their way after publishing stopped. */
  DRAIN
}
