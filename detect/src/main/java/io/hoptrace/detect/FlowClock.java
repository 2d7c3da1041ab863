package io.hoptrace.detect;

/**
 * {@link FlowDetector}'s event time ({@link TimeBase}) and the times a conversation is judged at
 * when one of its packets arrives.
 */
final class FlowClock {
  private final TimeBase base;
  private final long latenessNs;
  private long now = Long.MIN_VALUE;

  FlowClock(TimeBase base, long latenessNs) {
    this.base = base;
    this.latenessNs = latenessNs;
  }

  /** Event time (ns), Long.MIN_VALUE while none is known. */
  long now() {
    return now;
  }

  /**
   * A record's capture time (ns): event time when the records are its base. Returns the time the
   * inventory is read at (re-read once a second of it passed): event time, or the record's own
   * where event time trails it.
   */
  long onRecord(long ts) {
    if (base == TimeBase.RECORDS && ts > now) {
      now = ts;
    }
    return Math.max(now, ts);
  }

  /** The host's time (ns); event time never goes back. */
  void advanceTo(long t) {
    if (t > now) {
      now = t;
    }
  }

  /**
   * The time a conversation stands at once a packet of it arrived: event time, or its latest packet
   * when that is later (a {@link TimeBase#HOST} clock trails the partition the conversation comes
   * through). Its timers are set from there.
   */
  long intakeTime(Conversation c) {
    return Math.max(now, latest(c));
  }

  /**
   * When a packet arrives, its conversation is judged at {@link #intakeTime}, but at most the
   * lateness past its latest packet: a host's clock (e.g. the wall clock extrapolating event time
   * while the job lags behind its input) can run ahead of packets that are still queued; judging
   * them there would count them out of every window (a storm of retransmissions never reaching its
   * threshold) and make the verdict depend on how far the clock ran ahead, not on the input.
   */
  long evaluationTime(Conversation c) {
    long last = latest(c);
    return Math.min(Math.max(now, last), last + latenessNs);
  }

  private static long latest(Conversation c) {
    return Math.max(c.lastSeen, c.firstSeen);
  }
}
