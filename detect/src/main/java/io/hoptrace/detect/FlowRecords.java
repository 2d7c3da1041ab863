package io.hoptrace.detect;

import io.hoptrace.detect.detector.Detector;
import io.hoptrace.schema.FiveTuple;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.HopStats;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Builds the {@link FlowRecord} of a conversation, hops in forward path order. */
final class FlowRecords {
  private FlowRecords() {}

  static FlowRecord build(Conversation c, PathPlanner planner, String verdict, boolean fin) {
    List<FiveTuple> tuples = new ArrayList<>();
    for (TupleInfo t : c.tuples) {
      tuples.add(t.toFiveTuple());
    }
    Set<Integer> order = new LinkedHashSet<>();
    for (PathPlanner.PathHop h : planner.plan(c, 0)) {
      if (h.slot() >= 0) {
        order.add(h.slot());
      }
    }
    for (int i = 0; i < c.slots.size(); i++) {
      order.add(i);
    }
    List<HopStats> hops = new ArrayList<>();
    for (int i : order) {
      HopSlot s = c.slots.get(i);
      hops.add(
          HopStats.newBuilder()
              .setHop(s.hop)
              .setNode(s.node)
              .setRole(s.role)
              .setFwdPackets(s.dir[0].packets)
              .setFwdBytes(s.dir[0].bytes)
              .setRevPackets(s.dir[1].packets)
              .setRevBytes(s.dir[1].bytes)
              .setFwdRetransmissions(s.dir[0].retransTotal())
              .setRevRetransmissions(s.dir[1].retransTotal())
              .build());
    }
    return FlowRecord.newBuilder()
        .setConversationId(c.id)
        .setTuples(tuples)
        .setCommunityIds(Alerts.communityIds(c))
        .setHops(hops)
        .setFirstSeen(c.firstSeen)
        .setLastSeen(c.lastSeen)
        .setTcpState(c.history.isEmpty() ? null : c.history)
        .setVerdict(verdict)
        .setFinal$(fin)
        .build();
  }

  /** Verdict of multicast and broadcast traffic: no detector evaluates it, no alert. */
  static final String NO_UNICAST_PATH = "NO_UNICAST_PATH";

  /** Whether a conversation's traffic goes to (or comes from) a multicast or broadcast address. */
  static boolean noUnicastPath(Conversation c, InventoryIndex inventory) {
    TupleInfo t = c.first();
    return inventory.noUnicastPath(t.dst) || inventory.noUnicastPath(t.src);
  }

  /**
   * NO_UNICAST_PATH for multicast/broadcast, else the verdict of lowest rank among the core's
   * (REJECTED, UNREACHABLE, LOSSY) and detectors'.
   */
  static String verdict(Conversation c, Detector<Object>[] detectors, InventoryIndex inventory) {
    if (noUnicastPath(c, inventory)) {
      return NO_UNICAST_PATH;
    }
    String best = "OK";
    int rank = Integer.MAX_VALUE;
    if (c.rejected) {
      best = "REJECTED";
      rank = 10;
    } else if (c.unreachable) {
      best = "UNREACHABLE";
      rank = 40;
    } else if (c.loss[0].totalLost > 0 || c.loss[1].totalLost > 0) {
      best = "LOSSY";
      rank = 50;
    }
    for (int i = 0; i < detectors.length; i++) {
      Detector<Object> d = detectors[i];
      if (d.verdictRank() < rank) {
        String v = d.verdict(c, c.slices[i]);
        if (v != null) {
          best = v;
          rank = d.verdictRank();
        }
      }
    }
    return best;
  }
}
