package io.hoptrace.detect;

/**
 * Event time for wall-clock punctuations: the largest event time seen, extrapolated by the wall
 * time elapsed since it was seen. A live capture therefore advances with the wall clock when a flow
 * goes silent, and a fast replay of old captures is not expired by today's date.
 */
public final class EventClock {
  private long maxEvent = Long.MIN_VALUE;
  private long wallAtMax;

  /** Records an event time seen at a wall time (both ns). */
  public void observe(long eventNanos, long wallNanos) {
    if (eventNanos > maxEvent) {
      maxEvent = eventNanos;
      wallAtMax = wallNanos;
    }
  }

  /** Event time now, or Long.MIN_VALUE before any event. */
  public long now(long wallNanos) {
    if (maxEvent == Long.MIN_VALUE) {
      return Long.MIN_VALUE;
    }
    return maxEvent + Math.max(0, wallNanos - wallAtMax);
  }
}
