package io.hoptrace.flink;

/**
 * Timer granularity: Flink timers are per (key, millisecond); the stages round their wake-ups up to
 * a tick (the Kafka Streams host's punctuation interval, 1 s by default), so a key has at most one
 * timer per tick however often its deadline moves.
 */
final class Ticks {
  private final long tickMs;

  Ticks(long tickMs) {
    if (tickMs < 1) {
      throw new IllegalArgumentException("timer tick must be >= 1 ms");
    }
    this.tickMs = tickMs;
  }

  /** The first tick at or after {@code ms}. */
  long ceil(long ms) {
    return Math.floorDiv(ms + tickMs - 1, tickMs) * tickMs;
  }

  /** The first tick at or after event time {@code nanos}. */
  long ceilNanos(long nanos) {
    return ceil(Math.floorDiv(nanos, 1_000_000L) + (Math.floorMod(nanos, 1_000_000L) > 0 ? 1 : 0));
  }

  long millis() {
    return tickMs;
  }

  /** Milliseconds as nanoseconds, saturated (a watermark may be at the end of time). */
  static long nanos(long ms) {
    long limit = Long.MAX_VALUE / 1_000_000L;
    return Math.max(-limit, Math.min(limit, ms)) * 1_000_000L;
  }
}
