package io.hoptrace.detect.detector;

import io.hoptrace.contract.IpProto;
import io.hoptrace.detect.Alerts;
import io.hoptrace.detect.Conversation;
import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.detect.Finding;
import io.hoptrace.detect.Hints;
import io.hoptrace.detect.InventoryIndex;
import io.hoptrace.detect.PathPlanner;
import io.hoptrace.detect.Setting;
import io.hoptrace.detect.TupleInfo;
import io.hoptrace.detect.net.Ip;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.AlertSubject;
import io.hoptrace.schema.AlertType;
import io.hoptrace.schema.FiveTuple;
import io.hoptrace.schema.IcmpInfo;
import io.hoptrace.schema.LostAt;
import io.hoptrace.schema.Severity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ICMP_UNREACHABLE: every ICMP error about a conversation is an event of its (reporter, target,
 * code); stage 2 fires from {@code icmp.min.count} in {@code icmp.window.ms}. Keeps no state: the
 * core attributes the error to the quoted conversation and drops duplicates.
 */
public final class IcmpUnreachableDetector extends BaseDetector<Void> {
  public static final Setting<Long> WINDOW_MS =
      Setting.ms("icmp.window.ms", 10_000, "Window of the ICMP_UNREACHABLE pattern.");
  public static final Setting<Long> MIN_COUNT =
      Setting.count(
          "icmp.min.count",
          3,
          "ICMP errors with the same (reporter, target, code) in the window for a pattern.");

  static final AlertSpec ALERT =
      new AlertSpec(
          AlertType.ICMP_UNREACHABLE,
          Severity.WARNING,
          AlertSpec.Stage2.EVENTS_IN_WINDOW,
          WINDOW_MS,
          MIN_COUNT,
          "a router or host reports destinations unreachable");
  static final Detectors.Registration REGISTRATION =
      new Detectors.Registration(
          ALERT, List.of(WINDOW_MS, MIN_COUNT), IcmpUnreachableDetector::new);

  public IcmpUnreachableDetector(DetectionConfig cfg) {
    super(ALERT, REGISTRATION, 4, Set.of());
  }

  @Override
  public Void newState() {
    return null;
  }

  @Override
  public SliceCodec<Void> codec() {
    return null;
  }

  @Override
  public void onIcmpError(DetectorContext ctx, Conversation c, IcmpErrorView e, Void s) {
    IcmpInfo icmp = e.icmp;
    FiveTuple q = e.quoted;
    int v = e.packet.getIpVersion();
    int type = icmp.getType();
    int code = icmp.getCode();
    String reporter = e.reporter;
    FiveTuple outer = icmp.getQuoted();
    String target = outer != null ? Ip.canonical(outer.getDst()) : e.quotedDst;
    boolean underlay = icmp.getQuotedInner() != null;
    String overlay = underlay ? tupleText(icmp.getQuotedInner()) : null;
    String codeKey = type + "/" + code;
    String aggKey = "ICMP|" + reporter + "|" + target + "|" + codeKey;
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("errors", 1L);
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("reporter", reporter);
    facts.put("target", target);
    facts.put("icmpType", String.valueOf(type));
    facts.put("icmpCode", String.valueOf(code));
    facts.put("code", Hints.icmpCodeName(v, type, code));
    if (icmp.getMtu() > 0) {
      facts.put("mtu", String.valueOf(icmp.getMtu()));
    }
    if (outer != null) {
      facts.put("quoted", tupleText(outer));
    }
    facts.put("flow", c.first().text());
    facts.put("hop", e.hop);
    if (underlay) {
      facts.put("underlay", "true");
    }
    // a router's error: reporter -> unreachable target; the destination's own (port or protocol
    // unreachable, a host firewall): the flow it is about, client -> server:port, at the
    // reporter's node (the reporter is in the facts)
    FiveTuple about = outer != null ? outer : q;
    boolean fromTarget = reporter.equals(target);
    AlertSubject subject =
        AlertSubject.newBuilder()
            .setKind("REPORTER")
            .setSrc(fromTarget ? Ip.canonical(about.getSrc()) : reporter)
            .setSport(fromTarget ? about.getSport() : -1)
            .setDst(target)
            .setProto(about.getProto())
            .setDport(about.getDport())
            .setNode(e.packet.getNode())
            .build();
    String hint =
        Hints.icmp(
            v,
            type,
            code,
            reporter,
            target,
            outer != null ? outer.getProto() : q.getProto(),
            outer != null ? outer.getDport() : q.getDport(),
            icmp.getMtu(),
            underlay,
            overlay);
    TupleInfo qt = c.tuple(e.key);
    LostAt lostAt =
        e.portUnreachable || qt == null
            ? null
            : icmpLostAt(ctx, c, qt.dirOf(e.quotedSrc, q.getSport()), reporter, target);
    Alert a =
        Alerts.build(
            AlertType.ICMP_UNREACHABLE,
            AlertStatus.FIRING,
            subject,
            lostAt,
            1,
            hint,
            e.ts,
            e.ts,
            List.of(e.hop),
            List.of(),
            counts,
            facts,
            Alerts.communityIds(c));
    ctx.out().finding(new Finding(aggKey, Finding.Kind.EVENT, c.id(), a));
  }

  /**
   * Where the packet an ICMP error is about died, when a hop on the way (not the target's node)
   * reports it: between the last expected hop before the target's node and that node's first hop.
   * For an underlay error the target is the outer destination (the peer's VTEP), so the segment is
   * the underlay between the two nodes. Null when the target's node reported it (it arrived) or the
   * target belongs to no known node.
   */
  private static LostAt icmpLostAt(
      DetectorContext ctx, Conversation c, int d, String reporter, String target) {
    InventoryIndex inventory = ctx.inventory();
    String targetNode = inventory.ownerOf(target);
    if (targetNode == null || targetNode.equals(inventory.ownerOf(reporter))) {
      return null;
    }
    List<PathPlanner.PathHop> path = ctx.planner().plan(c, d);
    for (int i = 1; i < path.size(); i++) {
      if (path.get(i).node().equals(targetNode)) {
        PathPlanner.PathHop last = path.get(i - 1);
        return last.node().equals(targetNode)
            ? null
            : Alerts.lostAt(last.hop(), path.get(i).hop(), d);
      }
    }
    return null;
  }

  private static String tupleText(FiveTuple t) {
    return IpProto.nameOrNumber(t.getProto())
        + " "
        + Ip.canonical(t.getSrc())
        + (t.getSport() >= 0 ? ":" + t.getSport() : "")
        + " -> "
        + Ip.canonical(t.getDst())
        + (t.getDport() >= 0 ? ":" + t.getDport() : "");
  }
}
