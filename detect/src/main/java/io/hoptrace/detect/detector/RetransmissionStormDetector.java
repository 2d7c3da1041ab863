package io.hoptrace.detect.detector;

import io.hoptrace.detect.Alerts;
import io.hoptrace.detect.Conversation;
import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.detect.DirLoss;
import io.hoptrace.detect.Hints;
import io.hoptrace.detect.HopDir;
import io.hoptrace.detect.HopSlot;
import io.hoptrace.detect.PathPlanner;
import io.hoptrace.detect.Pending;
import io.hoptrace.detect.Setting;
import io.hoptrace.detect.TcpAnalyzer;
import io.hoptrace.detect.TupleInfo;
import io.hoptrace.detect.state.StateIn;
import io.hoptrace.detect.state.StateOut;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.AlertType;
import io.hoptrace.schema.Severity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * RETRANSMISSION_STORM: at some hop, at least {@code storm.min.retransmissions} retransmitted
 * segments and {@code storm.min.ratio} of all segments in the window, in a direction that got
 * replies. Keeps its per-hop windows ({@code HopDir.segWin}, {@code retransWin}) in the hop slots;
 * suppressed while a specific cause explains the loss (runs after MTU_BLACKHOLE and VTEP_MISMATCH).
 */
public final class RetransmissionStormDetector extends BaseDetector<FlowAlert> {
  public static final Setting<Long> WINDOW_MS =
      Setting.ms("storm.window.ms", 10_000, "Window of RETRANSMISSION_STORM.");
  public static final Setting<Long> MIN_RETRANSMISSIONS =
      Setting.count("storm.min.retransmissions", 3, "Retransmissions in the window for a storm.");
  public static final Setting<Double> MIN_RATIO =
      Setting.ratio("storm.min.ratio", 0.10, "Share of retransmitted segments for a storm.");
  public static final Setting<Long> AGGREGATE_MIN_FLOWS =
      Setting.count(
          "storm.aggregate.min.flows",
          5,
          "Storming flows to one destination that are reported as ONE aggregated alert.");

  static final AlertSpec ALERT =
      new AlertSpec(
          AlertType.RETRANSMISSION_STORM,
          Severity.WARNING,
          AlertSpec.Stage2.PER_MEMBER_FOLDED,
          null,
          null,
          "a flow retransmits a large share of its segments");
  static final Detectors.Registration REGISTRATION =
      new Detectors.Registration(
          ALERT,
          List.of(WINDOW_MS, MIN_RETRANSMISSIONS, MIN_RATIO, AGGREGATE_MIN_FLOWS),
          RetransmissionStormDetector::new);

  private final long windowNs;
  private final long min;
  private final double ratio;

  public RetransmissionStormDetector(DetectionConfig cfg) {
    super(ALERT, REGISTRATION, 2, Set.of(AlertType.MTU_BLACKHOLE, AlertType.VTEP_MISMATCH));
    this.windowNs = cfg.nanos(WINDOW_MS);
    this.min = cfg.get(MIN_RETRANSMISSIONS);
    this.ratio = cfg.get(MIN_RATIO);
  }

  @Override
  public FlowAlert newState() {
    return new FlowAlert();
  }

  /** Version 2: {@link FlowAlert} and its {@code heldSince}; version 1 without it. */
  private static final SliceCodec<FlowAlert> CODEC =
      new SliceCodec<>() {
        @Override
        public int version() {
          return 2;
        }

        @Override
        public void write(StateOut out, FlowAlert s) {
          s.write(out);
          out.ts(s.heldSince);
        }

        @Override
        public void read(StateIn in, int version, FlowAlert s) {
          s.read(in);
          s.heldSince = version >= 2 ? in.ts() : -1;
        }
      };

  @Override
  public SliceCodec<FlowAlert> codec() {
    return CODEC;
  }

  @Override
  public long lossWindowNanos() {
    return windowNs;
  }

  @Override
  public long drainNanos() {
    return windowNs;
  }

  @Override
  public String verdict(Conversation c, FlowAlert s) {
    return s.active ? "LOSSY" : null;
  }

  @Override
  public int verdictRank() {
    return 50;
  }

  @Override
  public void onPacket(DetectorContext ctx, Conversation c, PacketView p, FlowAlert s) {
    HopDir hd = p.hopDir;
    if (hd == null || !p.tcp) {
      return;
    }
    if (p.payload > 0 || (p.flags & (TcpAnalyzer.SYN | TcpAnalyzer.FIN)) != 0) {
      hd.segWin.add(p.ts, windowNs, 1);
    }
    if (p.tcpClass != TcpAnalyzer.NONE) {
      hd.retransWin.add(p.ts, windowNs, 1);
    }
  }

  /** Folded segments count in the share (retransmissions are never folded: sent one by one). */
  @Override
  public void onCounters(DetectorContext ctx, Conversation c, CountersView v, FlowAlert s) {
    long n = v.counters.getSegments();
    if (v.hopDir != null && n > 0) {
      v.hopDir.segWin.add(v.counters.getFirstTsNanos(), windowNs, n);
    }
  }

  @Override
  public long nextDeadline(DetectorContext ctx, Conversation c, FlowAlert s, long t) {
    if (s.heldSince >= 0) {
      return Math.max(t + 1, s.heldSince + ctx.latenessNanos() + 1);
    }
    return s.active ? Paths.nextBoundary(t, ctx.lossWindowNanos()) : Long.MAX_VALUE;
  }

  @Override
  public void end(DetectorContext ctx, Conversation c, FlowAlert s, String reason) {
    s.resolve(ctx, c, AlertType.RETRANSMISSION_STORM, reason);
  }

  @Override
  public void evaluate(DetectorContext ctx, Conversation c, FlowAlert s, long t, boolean fin) {
    long ex = c.lossExplainedUntil();
    boolean suppressed = ex >= 0 && t - ex < 2 * windowNs;
    int bestSlot = -1;
    int bestDir = 0;
    long bestR = 0;
    long bestS = 0;
    for (int i = 0; i < c.slots.size(); i++) {
      for (int d = 0; d < 2; d++) {
        if (c.lastDirTs[1 - d] < 0) {
          continue; // never any reply: that is ONE_WAY, not a storm
        }
        HopDir h = c.slots.get(i).dir[d];
        long r = h.retransWin.sum(t, windowNs);
        long n = h.segWin.sum(t, windowNs);
        if (r >= min && r >= ratio * n && r > bestR) {
          bestR = r;
          bestS = n;
          bestSlot = i;
          bestDir = d;
        }
      }
    }
    boolean active = !suppressed && bestSlot >= 0;
    // retransmissions are seen before the segments they replace settle as lost: the first report
    // waits (at most the lateness) for them, so that it names the segment where they disappear
    boolean hold = false;
    if (active && !s.active && !localised(c, bestDir, t)) {
      if (s.heldSince < 0) {
        s.heldSince = t;
      }
      hold = t - s.heldSince <= ctx.latenessNanos() && unsettled(ctx, c, bestDir);
    }
    if (!active || !hold) {
      s.heldSince = -1;
    }
    active &= !hold;
    TupleInfo f = c.first();
    int d = bestDir;
    String dest = d == 0 ? f.dst : f.src;

    int slot = bestSlot;
    long r = bestR;
    long n = bestS;
    s.report(
        ctx,
        c,
        AlertType.RETRANSMISSION_STORM,
        active,
        () -> "STORM|" + dest,
        t,
        () -> stormAlert(ctx, c, t, slot, d, r, n, dest));
  }

  private Alert stormAlert(
      DetectorContext ctx, Conversation c, long t, int slot, int d, long r, long s, String dest) {
    HopSlot h = c.slots.get(slot);
    HopDir hd = h.dir[d];
    DirLoss dl = c.loss[d];
    boolean localised = localised(c, d, t);
    List<PathPlanner.PathHop> path = ctx.planner().plan(c, d);
    TupleInfo f = c.first();
    String from = d == 0 ? f.src : f.dst;
    String hint =
        r
            + " of "
            + s
            + " segments from "
            + from
            + " to "
            + dest
            + " retransmitted (seen at "
            + h.hop
            + ")"
            + (localised
                ? ": " + Hints.lostAt(c, d, dl.lostAfter, dl.lostBefore, path, ctx.inventory())
                : ": packets or their acknowledgements are lost on the path");
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("retransmissions", r);
    counts.put("segments", s);
    counts.put("fastRetransmissions", hd.fastRetrans);
    counts.put("spuriousRetransmissions", hd.spurious);
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("hop", h.hop);
    facts.put("direction", d == 0 ? "forward" : "reverse");
    facts.put("destination", dest);
    facts.put("flow", f.text());
    if (c.wrongSourceVtep(d) != null) {
      facts.put("vtep", c.wrongSourceVtep(d)); // the VTEP fault explains it: one incident
    }
    return Alerts.build(
        AlertType.RETRANSMISSION_STORM,
        AlertStatus.FIRING,
        Alerts.flowSubject(c),
        localised ? Alerts.lostAt(dl.lostAfter, dl.lostBefore, d) : null,
        r,
        hint,
        t,
        t,
        Paths.hopsSeen(c, path, d),
        List.of(),
        counts,
        facts,
        Alerts.communityIds(c));
  }

  /** Packets of direction d settled as lost lately: the segment where they disappear is known. */
  private boolean localised(Conversation c, int d, long t) {
    DirLoss dl = c.loss[d];
    return dl.lastLostTs >= 0 && dl.lostBefore != null && t - dl.lastLostTs <= 2 * windowNs;
  }

  /** A packet of direction d is pending short of the end of its path (its fate is not known). */
  private static boolean unsettled(DetectorContext ctx, Conversation c, int d) {
    List<PathPlanner.PathHop> path = null;
    for (Pending p : c.pending) {
      if (p.dir == d) {
        if (path == null) {
          path = ctx.planner().plan(c, d);
          if (path.stream().filter(h -> h.slot() >= 0).count() < 2) {
            return false; // seen on one hop only: settling cannot say where packets disappear
          }
        }
        int end = path.get(path.size() - 1).slot();
        if (end < 0 || end >= 64 || (p.mask & (1L << end)) == 0) {
          return true;
        }
      }
    }
    return false;
  }
}
