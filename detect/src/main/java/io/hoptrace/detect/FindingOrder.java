package io.hoptrace.detect;

import io.hoptrace.detect.state.StateStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Stage 2's input when findings come from several stage-1 tasks (partitions): hands them to {@link
 * AlertAggregator} in one order that does not depend on how the tasks' outputs interleave, so the
 * alerts are the same at any partition count.
 *
 * <p>Every stage-1 task reports its progress: after it fired its timers due at event time t, every
 * finding it makes later is stamped at t or after ({@link Finding#asOf()}; packets later than the
 * lateness aside). The <b>watermark</b> is the smallest progress of all tasks. Findings wait in
 * {@code pending} until the watermark reaches their stamp, then go to stage 2 in order of (stamp,
 * member, subject, sequence), stage 2's clock first moved to their stamp; stage 2's clock then
 * follows the watermark. A finding stamped at or before what was already released (a late packet, a
 * task that was idle) goes to stage 2 at once.
 *
 * <p>A task that has reported no progress at all (its partition got no packet yet) holds the
 * watermark back for at most {@code idleNanos} of wall time after the first task reported, then no
 * longer counts until it reports. End of input comes from each task; stage 2 ends its input ({@link
 * AlertAggregator#endOfInput()}) once every task's end has arrived, after releasing every finding,
 * and then waits for new progress (a next input).
 */
public final class FindingOrder {
  private static final String RELEASED = "#released";
  private static final String UPSTREAM = "#upstream/";
  private static final long ENDED = Long.MAX_VALUE;

  /** The order findings of several tasks go to stage 2 in. */
  static final Comparator<Finding> ORDER =
      Comparator.comparingLong(Finding::asOf)
          .thenComparing(Finding::member)
          .thenComparing(Finding::key)
          .thenComparingLong(Finding::seq);

  private final int upstreams;
  private final long idleNanos;
  private final StateStore<String, Finding> pending;
  private final StateStore<String, Long> progress;
  private final AlertAggregator stage2;
  private long firstProgressWall = Long.MIN_VALUE;

  /**
   * @param upstreams the number of stage-1 tasks (partitions of the packets topic)
   * @param idleNanos wall time after which a task that never reported progress stops holding back
   * @param pending findings not yet released, by {@link #keyOf}
   * @param progress each task's progress and what was released
   */
  public FindingOrder(
      int upstreams,
      long idleNanos,
      StateStore<String, Finding> pending,
      StateStore<String, Long> progress,
      AlertAggregator stage2) {
    if (upstreams < 1) {
      throw new IllegalArgumentException("upstreams must be >= 1");
    }
    this.upstreams = upstreams;
    this.idleNanos = idleNanos;
    this.pending = pending;
    this.progress = progress;
    this.stage2 = stage2;
  }

  /** A finding of some stage-1 task. */
  public void onFinding(Finding f) {
    if (f.asOf() <= released()) {
      stage2.onFinding(f);
      return;
    }
    String k = keyOf(f);
    while (pending.get(k) != null) {
      k = k + "'";
    }
    pending.put(k, f);
  }

  /** Task {@code upstream} fired everything due up to event time t (ns); wall time now (ns). */
  public void onProgress(int upstream, long t, long wallNanos) {
    Long p = progress.get(UPSTREAM + upstream);
    if (t != Long.MIN_VALUE && (p == null || t > p)) {
      progress.put(UPSTREAM + upstream, t);
      if (firstProgressWall == Long.MIN_VALUE) {
        firstProgressWall = wallNanos;
      }
    }
    release(watermark(wallNanos));
  }

  /** Task {@code upstream} reached the end of its input. */
  public void onEndOfInput(int upstream, long wallNanos) {
    progress.put(UPSTREAM + upstream, ENDED);
    for (int i = 0; i < upstreams; i++) {
      Long p = progress.get(UPSTREAM + i);
      if (p == null || p != ENDED) {
        release(watermark(wallNanos));
        return;
      }
    }
    release(ENDED);
    stage2.endOfInput();
    for (int i = 0; i < upstreams; i++) {
      progress.delete(UPSTREAM + i);
    }
    progress.put(RELEASED, stage2.now());
    firstProgressWall = Long.MIN_VALUE;
  }

  /** A wall-clock tick: a task that never reported may now count as idle. */
  public void onWallClock(long wallNanos) {
    release(watermark(wallNanos));
  }

  /** The smallest progress of the tasks that count (Long.MIN_VALUE: none known yet). */
  long watermark(long wallNanos) {
    boolean idleOver =
        firstProgressWall != Long.MIN_VALUE && wallNanos - firstProgressWall >= idleNanos;
    long w = Long.MAX_VALUE;
    boolean any = false;
    for (int i = 0; i < upstreams; i++) {
      Long p = progress.get(UPSTREAM + i);
      if (p == null && idleOver) {
        continue;
      }
      long v = p == null ? Long.MIN_VALUE : p;
      any |= v != ENDED;
      w = Math.min(w, v);
    }
    return any ? w : Long.MIN_VALUE;
  }

  private long released() {
    Long r = progress.get(RELEASED);
    return r == null ? Long.MIN_VALUE : r;
  }

  /** Hands every pending finding stamped up to w to stage 2, in order; stage 2's clock to w. */
  private void release(long w) {
    if (w == Long.MIN_VALUE || w <= released()) {
      return;
    }
    List<String> keys = new ArrayList<>();
    List<Finding> due = new ArrayList<>();
    pending.scan(
        null,
        (k, f) -> {
          if (f.asOf() > w) {
            return false;
          }
          keys.add(k);
          due.add(f);
          return true;
        });
    keys.forEach(pending::delete);
    due.sort(ORDER);
    for (Finding f : due) {
      if (f.asOf() > stage2.now()) {
        stage2.advanceTo(f.asOf());
      }
      stage2.onFinding(f);
    }
    if (w != ENDED) {
      stage2.advanceTo(w);
      progress.put(RELEASED, w);
    }
  }

  /** The pending key: the stamp first (fixed-width hex, sorts as the number), then the order. */
  static String keyOf(Finding f) {
    return String.format("%016x", f.asOf() ^ Long.MIN_VALUE)
        + "|"
        + f.member()
        + "|"
        + f.key()
        + "|"
        + f.seq();
  }
}
