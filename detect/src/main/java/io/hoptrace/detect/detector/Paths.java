package io.hoptrace.detect.detector;

import io.hoptrace.detect.Conversation;
import io.hoptrace.detect.HopSlot;
import io.hoptrace.detect.PathPlanner;
import java.util.ArrayList;
import java.util.List;

/** Evidence helpers on a planned path, shared by the per-flow detectors. */
final class Paths {
  private Paths() {}

  /** Hops of the path that saw packets of direction d. */
  static List<String> hopsSeen(Conversation c, List<PathPlanner.PathHop> path, int d) {
    List<String> seen = new ArrayList<>();
    for (PathPlanner.PathHop h : path) {
      if (h.slot() >= 0 && c.slots.get(h.slot()).dir[d].packets > 0) {
        seen.add(h.hop());
      }
    }
    return seen;
  }

  /** Hops of the path after {@code after} (all when null; none when it is not on the path). */
  static List<String> hopsAfter(List<PathPlanner.PathHop> path, String after) {
    List<String> missing = new ArrayList<>();
    boolean on = after == null;
    for (PathPlanner.PathHop h : path) {
      if (on) {
        missing.add(h.hop());
      }
      if (h.hop().equals(after)) {
        on = true;
      }
    }
    return on ? missing : List.of();
  }

  /** The hop that first saw direction d latest, or null. */
  static String lastObserved(Conversation c, int d) {
    String best = null;
    long bestTs = Long.MIN_VALUE;
    for (HopSlot s : c.slots) {
      if (s.dir[d].packets > 0 && s.dir[d].firstTs > bestTs) {
        bestTs = s.dir[d].firstTs;
        best = s.hop;
      }
    }
    return best;
  }

  /** The next boundary after t of windows of width w (window-based conditions change there). */
  static long nextBoundary(long t, long w) {
    return (Math.floorDiv(t, w) + 1) * w;
  }
}
