package io.roomcast.loadgen;

/** Bounds on scenario sizes, so that a typo cannot start an unbounded run. */
final class Limits {

  static final int MAX_CONNECTIONS = 1_000_000;
  static final double MAX_RATE = 10_000_000;

  private Limits() {
  }

  static void check(String flag, long value, long lowest, long highest) {
    if (value < lowest || value > highest) {
      throw new IllegalArgumentException("invalid " + flag + " " + value + ": expected " + lowest + " to " + highest);
    }
  }

  static void checkRate(String flag, double rate) {
    if (!(rate >= 0 && rate <= MAX_RATE)) {
      throw new IllegalArgumentException("invalid " + flag + " " + rate + ": expected 0 to " + (long) MAX_RATE
          + " per second");
    }
  }
}
