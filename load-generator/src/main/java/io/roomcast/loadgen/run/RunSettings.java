package io.roomcast.loadgen.run;

import java.time.Duration;

/**
 * The connect and publish settings of a run.
 *
 * @param frameKind frame type of every publication
 * @param payloadBytes size of every publication's payload, at least {@link Payload#minimumSize}
 * @param ratePerPublisher publications per second of each publisher; 0 selects window mode
 * @param window window mode only: publications of one publisher that may wait for the room's
 *     probe subscriber; 0 when a rate is set
 * @param duration how long publishers publish (or, without publishers, how long connections are held)
 * @param drainTimeout how long to wait after publishing for deliveries still on their way
 * @param connectRate connections opened per second
 * @param connectsInFlight handshakes that may be pending at once
 * @param connectTimeout time a handshake may take before it counts as a connect error
 */
public record RunSettings(
    FrameKind frameKind,
    int payloadBytes,
    double ratePerPublisher,
    int window,
    Duration duration,
    Duration drainTimeout,
    int connectRate,
    int connectsInFlight,
    Duration connectTimeout) {

  public RunSettings {
    if (payloadBytes < Payload.minimumSize(frameKind)) {
      throw new IllegalArgumentException("payload size " + payloadBytes + " is below the minimum of "
          + Payload.minimumSize(frameKind) + " bytes for " + frameKind + " frames");
    }
    if (ratePerPublisher < 0) {
      throw new IllegalArgumentException("rate " + ratePerPublisher + " must be 0 (window mode) or more");
    }
    if (ratePerPublisher == 0 && window < 1) {
      throw new IllegalArgumentException("window " + window + " must be 1 or more when no rate is set");
    }
    if (ratePerPublisher > 0 && window != 0) {
      throw new IllegalArgumentException("window " + window + " applies only without a rate; got rate "
          + ratePerPublisher);
    }
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("duration " + duration + " must be positive");
    }
    if (drainTimeout.isNegative()) {
      throw new IllegalArgumentException("drain timeout " + drainTimeout + " must not be negative");
    }
    if (connectRate < 1 || connectsInFlight < 1) {
      throw new IllegalArgumentException("connect rate " + connectRate + " and handshakes in flight "
          + connectsInFlight + " must be 1 or more");
    }
  }

  public boolean windowMode() {
    return ratePerPublisher == 0;
  }
}
