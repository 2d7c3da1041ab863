package io.hoptrace.detect;

import io.hoptrace.detect.detector.MtuBlackholeDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Settles packets awaiting their match across hops ({@link Pending}): once the lateness passed (or
 * the conversation ends) a packet's fate is known, and the last hop that saw it and the first
 * expected hop that did not ({@link PathPlanner}) go into the direction's {@link DirLoss}. Keeps
 * the size-split counters MTU_BLACKHOLE reads with its {@code mtu.large.bytes} and window.
 */
final class Settler {
  private final long latenessNs;
  private final long lossWindowNs;
  private final long mtuNs;
  private final long mtuLarge;
  private final Supplier<PathPlanner> planner;

  Settler(DetectionConfig cfg, long lossWindowNs, Supplier<PathPlanner> planner) {
    this.latenessNs = cfg.nanos(DetectionConfig.LATENESS_MS);
    this.lossWindowNs = lossWindowNs;
    this.mtuNs = cfg.nanos(MtuBlackholeDetector.WINDOW_MS);
    this.mtuLarge = cfg.get(MtuBlackholeDetector.LARGE_BYTES);
    this.planner = planner;
  }

  /** Settles the packets whose lateness passed at t (all of them when {@code fin}). */
  void settleDue(Conversation c, long t, boolean fin) {
    if (c.pending.isEmpty()) {
      return;
    }
    List<Pending> done = new ArrayList<>();
    for (Pending p : c.pending) {
      if (fin || p.firstTs + latenessNs <= t) {
        done.add(p);
      }
    }
    if (!done.isEmpty()) {
      c.pending.removeAll(done);
      settle(c, done, false);
    }
  }

  /** Too many packets pending: the oldest settles early, counted only if delivered. */
  void settleOldest(Conversation c) {
    Pending oldest = c.pending.get(0);
    for (Pending p : c.pending) {
      if (p.firstTs < oldest.firstTs) {
        oldest = p;
      }
    }
    c.pending.remove(oldest);
    settle(c, List.of(oldest), true);
  }

  /** The earliest time a pending packet settles, or Long.MAX_VALUE. */
  long nextSettlement(Conversation c) {
    long dl = Long.MAX_VALUE;
    for (Pending p : c.pending) {
      dl = Math.min(dl, p.firstTs + latenessNs);
    }
    return dl;
  }

  /** Decides for settled packets the last hop that saw them and the first that did not. */
  @SuppressWarnings("unchecked")
  private void settle(Conversation c, List<Pending> done, boolean deliveredOnly) {
    List<PathPlanner.PathHop>[] paths = new List[2];
    PathPlanner planner = this.planner.get();
    for (Pending e : done) {
      if (paths[e.dir] == null) {
        paths[e.dir] = planner.plan(c, e.dir);
      }
      List<PathPlanner.PathHop> path = paths[e.dir];
      int last = -1;
      for (int i = 0; i < path.size(); i++) {
        int s = path.get(i).slot();
        if (s >= 0 && s < 64 && (e.mask & (1L << s)) != 0) {
          last = i;
        }
      }
      if (last < 0) {
        continue;
      }
      DirLoss dl = c.loss[e.dir];
      dl.lastHop = path.get(last).hop();
      if (last == path.size() - 1) {
        dl.delivered.add(e.firstTs, lossWindowNs, 1);
        if (e.size < mtuLarge) {
          dl.deliveredSmall.add(e.firstTs, mtuNs, 1);
        }
        dl.maxDeliveredSize = Math.max(dl.maxDeliveredSize, e.size);
      } else if (!deliveredOnly) {
        dl.lost.add(e.firstTs, lossWindowNs, 1);
        dl.totalLost++;
        if (e.firstTs >= dl.lastLostTs) {
          dl.lastLostTs = e.firstTs;
          dl.lostAfter = path.get(last).hop();
          dl.lostBefore = path.get(last + 1).hop();
        }
        if (e.size >= mtuLarge) {
          dl.lostLarge.add(e.firstTs, mtuNs, 1);
        } else {
          dl.lostSmall.add(e.firstTs, mtuNs, 1);
        }
        dl.minLostSize = dl.minLostSize < 0 ? e.size : Math.min(dl.minLostSize, e.size);
      }
    }
  }
}
