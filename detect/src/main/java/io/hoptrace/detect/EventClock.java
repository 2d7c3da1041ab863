package io.hoptrace.detect;

/**
 * Event time for wall-clock punctuations (a silent flow must still alert).
 *
 * <p>While records arrive, event time is the largest event time seen, whatever the wall clock does:
 * a replay's backlog, a loaded machine or a stalled fetch change nothing, so the same input gives
 * the same alerts however fast the host runs. Only once no record arrived for {@code idleNanos} of
 * wall time is the input silent (a live capture whose traffic stopped), and event time then runs on
 * with the wall clock from the last record: {@code maxEvent + (wall - wallAtLastRecord)}. The wall
 * clock never stands in for the event time of old captures (a fast replay is not expired by today's
 * date), and timers due within {@code idleNanos} of the last record fire when the silence is
 * recognised.
 */
public final class EventClock {
  private final long idleNanos;
  private long maxEvent = Long.MIN_VALUE;
  private long wallAtLastRecord;

  /**
   * @param idleNanos wall time without records after which the input counts as silent (>= 0)
   */
  public EventClock(long idleNanos) {
    if (idleNanos < 0) {
      throw new IllegalArgumentException("idleNanos must be >= 0: " + idleNanos);
    }
    this.idleNanos = idleNanos;
  }

  /**
   * A clock with the input-silence threshold of {@code cfg} ({@link DetectionConfig#SILENCE_MS}).
   */
  public static EventClock of(DetectionConfig cfg) {
    return new EventClock(cfg.nanos(DetectionConfig.SILENCE_MS));
  }

  /** Records an event time seen at a wall time (both ns). */
  public void observe(long eventNanos, long wallNanos) {
    if (eventNanos > maxEvent) {
      maxEvent = eventNanos;
    }
    wallAtLastRecord = wallNanos;
  }

  /**
   * Event time the wall clock extrapolates once the input is silent ({@code maxEvent + silent}), or
   * Long.MIN_VALUE while records arrive (or before any): for a host whose event time otherwise is a
   * watermark ({@link TimeBase#HOST}), where the largest event time seen is no one's.
   */
  public long extrapolated(long wallNanos) {
    if (maxEvent == Long.MIN_VALUE) {
      return Long.MIN_VALUE;
    }
    long silent = wallNanos - wallAtLastRecord;
    return silent >= idleNanos ? maxEvent + silent : Long.MIN_VALUE;
  }

  /**
   * The wall time (ns) at which {@link #extrapolated} reaches {@code eventNanos} if no record
   * arrives before, or Long.MIN_VALUE before any event.
   */
  public long wallWhen(long eventNanos) {
    if (maxEvent == Long.MIN_VALUE) {
      return Long.MIN_VALUE;
    }
    return wallAtLastRecord + Math.max(idleNanos, eventNanos - maxEvent);
  }

  /** Event time now, or Long.MIN_VALUE before any event. */
  public long now(long wallNanos) {
    if (maxEvent == Long.MIN_VALUE) {
      return Long.MIN_VALUE;
    }
    long silent = wallNanos - wallAtLastRecord;
    return silent >= idleNanos ? maxEvent + silent : maxEvent;
  }
}
