package io.hoptrace.detect;

import io.hoptrace.contract.HopId;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.DropReason;
import io.hoptrace.schema.KernelDrop;
import io.hoptrace.schema.LostAt;
import java.util.Map;

/**
 * Joins what the kernel said into a conversation's alert: the drop reason sensors traced for its
 * packets ({@link DropNotes}) becomes the alert's {@code dropReason} and a sentence of its hint.
 * The reason never overrides the hops: a drop at the lost-at segment (its after or before hop, or
 * their nodes) confirms it and says why; a drop elsewhere is said next to the hops' localisation,
 * both kept ({@code atLostSegment} false).
 */
final class DropJoin {
  /**
   * The key of the conversation a drop record is about (its flow, canonical), or null when the
   * record lacks a flow, hop or reason or counts nothing.
   */
  static String conversationKey(KernelDrop k) {
    if (k.getFlow() == null || k.getHop() == null || k.getReason() == null || k.getCount() <= 0) {
      return null;
    }
    io.hoptrace.schema.FiveTuple f = k.getFlow();
    return io.hoptrace.contract.FlowKey.key(
        f.getProto(),
        io.hoptrace.detect.net.Ip.canonical(f.getSrc()),
        f.getSport(),
        io.hoptrace.detect.net.Ip.canonical(f.getDst()),
        f.getDport());
  }

  /** What a reason usually means, for the hint; others are named only. */
  private static final Map<String, String> GLOSS =
      Map.ofEntries(
          Map.entry("NETFILTER_DROP", "iptables"),
          Map.entry("IP_RPFILTER", "reverse-path filter"),
          Map.entry("NO_SOCKET", "no socket listening"),
          Map.entry("IP_INNOROUTES", "no route"),
          Map.entry("IP_INADDRERRORS", "bad destination address"),
          Map.entry("IP_OUTNOROUTES", "no route out"),
          Map.entry("NEIGH_FAILED", "neighbour (ARP) failed"),
          Map.entry("NEIGH_QUEUEFULL", "neighbour queue full"),
          Map.entry("PKT_TOO_BIG", "larger than the MTU"),
          Map.entry("OTHERHOST", "not addressed to this host"),
          Map.entry("VXLAN_VNI_NOT_FOUND", "unknown VXLAN VNI"),
          Map.entry("VXLAN_INVALID_HDR", "bad VXLAN header"),
          Map.entry("TC_DROP", "tc filter"),
          Map.entry("QDISC_DROP", "queue full"),
          Map.entry("UNICAST_IN_L2_MULTICAST", "unicast in L2 multicast"),
          Map.entry("SOCKET_RCVBUFF", "socket receive buffer full"));

  private DropJoin() {}

  /**
   * Adds the kernel's reason to a firing alert of the conversation whose notes are {@code drops}:
   * the note at the lost-at segment with the most drops, else the one with the most drops anywhere,
   * among the notes whose last drop is at or after {@code cutoffNanos} (older ones are not about
   * this alert). Alerts of conversations without such drops, and resolutions, are left as they are.
   */
  static void attach(Alert a, DropNotes drops, long cutoffNanos) {
    if (drops.isEmpty() || a.getStatus() != AlertStatus.FIRING || a.getDropReason() != null) {
      return;
    }
    LostAt l = a.getLostAt();
    DropNotes.Note best = null;
    boolean bestNear = false;
    for (DropNotes.Note n : drops.notes()) {
      if (!DropNotes.fresh(n, cutoffNanos)) {
        continue;
      }
      boolean near = l == null || near(n, l);
      if (best == null || (near && !bestNear) || (near == bestNear && n.count > best.count)) {
        best = n;
        bestNear = near;
      }
    }
    if (best == null) {
      return;
    }
    a.setDropReason(
        DropReason.newBuilder()
            .setReason(best.reason)
            .setCode(best.code)
            .setHop(best.hop)
            .setCount(best.count)
            .setAtLostSegment(bestNear)
            .build());
    String said = describe(best);
    String hint = a.getHint() == null ? "" : a.getHint();
    String join = hint.isEmpty() ? "" : "; ";
    if (bestNear) {
      a.setHint(hint + join + "the kernel: " + said);
    } else {
      a.setHint(
          hint
              + join
              + "the kernel dropped elsewhere than the hops show: "
              + said
              + " (the hops lose the packets "
              + segment(l)
              + ")");
    }
  }

  /**
   * Whether the drop's hop is at the segment: its after or before hop, or on the before hop's node
   * (the packets reached that node and died in its stack before the before hop saw them), or, with
   * no before hop, on the after hop's node.
   */
  static boolean near(DropNotes.Note n, LostAt l) {
    if (n.hop.equals(l.getAfter()) || n.hop.equals(l.getBefore())) {
      return true;
    }
    String node = l.getBefore() != null ? l.getBefore() : l.getAfter();
    return node != null && HopId.nodeOf(node).equals(n.node);
  }

  /** E.g. "node-b dropped 14 VXLAN packets from 192.168.232.128 after ens33: NETFILTER_DROP". */
  static String describe(DropNotes.Note n) {
    return describe(n.node, n.count, n.encap, n.outerSrc, n.iface, n.reason);
  }

  /**
   * What an alert's {@code dropReason} says, without the encapsulation (not in the record): e.g. an
   * incident's sentence when the reason comes from another of its alerts than its cause's ({@link
   * IncidentAggregator}), "the kernel, on another of its alerts: node-a dropped 3 packets after
   * ens33: IP_RPFILTER (reverse-path filter)".
   */
  static String sentence(DropReason r) {
    return "the kernel, on another of its alerts: "
        + describe(
            HopId.nodeOf(r.getHop()),
            r.getCount(),
            null,
            null,
            HopId.ifaceOf(r.getHop()),
            r.getReason());
  }

  private static String describe(
      String node, long count, String encap, String outerSrc, String iface, String reason) {
    StringBuilder sb = new StringBuilder();
    sb.append(node).append(" dropped ").append(count).append(' ');
    if (encap != null) {
      sb.append(encap).append(' ');
    }
    sb.append(count == 1 ? "packet" : "packets");
    if (outerSrc != null) {
      sb.append(" from ").append(outerSrc);
    }
    sb.append(" after ").append(iface).append(": ").append(reason);
    String gloss = GLOSS.get(reason);
    if (gloss != null) {
      sb.append(" (").append(gloss).append(')');
    }
    return sb.toString();
  }

  private static String segment(LostAt l) {
    if (l.getBefore() == null) {
      return "after " + l.getAfter();
    }
    if (l.getAfter() == null) {
      return "before " + l.getBefore();
    }
    return "between " + l.getAfter() + " and " + l.getBefore();
  }
}
