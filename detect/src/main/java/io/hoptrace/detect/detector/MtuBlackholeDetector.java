package io.hoptrace.detect.detector;

import io.hoptrace.detect.Alerts;
import io.hoptrace.detect.Conversation;
import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.detect.DirLoss;
import io.hoptrace.detect.HopDir;
import io.hoptrace.detect.HopSlot;
import io.hoptrace.detect.InventoryIndex;
import io.hoptrace.detect.PathPlanner;
import io.hoptrace.detect.Pending;
import io.hoptrace.detect.Setting;
import io.hoptrace.detect.StateCodes;
import io.hoptrace.detect.TcpAnalyzer;
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
 * MTU_BLACKHOLE: large packets lost while small ones pass, large DF segments retransmitted, or an
 * ICMP frag-needed / packet-too-big. While active it explains the conversation's losses ({@link
 * Conversation#explainLoss}), which suppresses ONE_WAY and RETRANSMISSION_STORM. The size-split
 * loss counters it reads ({@code DirLoss.lostLarge} ...) are kept by the core's settlement with
 * {@link #LARGE_BYTES} and {@link #WINDOW_MS}.
 */
public final class MtuBlackholeDetector extends BaseDetector<MtuBlackholeDetector.State> {
  public static final Setting<Long> WINDOW_MS =
      Setting.ms("mtu.window.ms", 10_000, "Window of MTU_BLACKHOLE.");
  public static final Setting<Long> LARGE_BYTES =
      Setting.count(
          "mtu.large.bytes",
          1400,
          "IP packets of at least this size are 'large' (lost large DF segments, sizes that"
              + " pass vs sizes lost).");
  public static final Setting<Long> MIN_LOST =
      Setting.count(
          "mtu.min.lost",
          3,
          "Large packets lost (or large DF segments retransmitted) while small ones pass.");

  static final AlertSpec ALERT =
      new AlertSpec(
          AlertType.MTU_BLACKHOLE,
          Severity.CRITICAL,
          AlertSpec.Stage2.PER_MEMBER,
          null,
          null,
          "large packets of a flow die while small ones pass");
  static final Detectors.Registration REGISTRATION =
      new Detectors.Registration(
          ALERT, List.of(WINDOW_MS, LARGE_BYTES, MIN_LOST), MtuBlackholeDetector::new);

  /** The slice: the alert and the latest frag-needed / packet-too-big about the flow. */
  public static final class State {
    public final FlowAlert alert = new FlowAlert();
    public int icmpMtu = -1;
    public long icmpMtuTs = -1;
    public String icmpReporter;
  }

  private static final SliceCodec<State> CODEC =
      new SliceCodec<>() {
        @Override
        public int version() {
          return 1;
        }

        @Override
        public void write(StateOut out, State s) {
          s.alert.write(out);
          out.w.varInt(s.icmpMtu);
          out.ts(s.icmpMtuTs);
          out.w.str(s.icmpReporter);
        }

        @Override
        public void read(StateIn in, int version, State s) {
          s.alert.read(in);
          s.icmpMtu = in.r.varInt();
          s.icmpMtuTs = in.ts();
          s.icmpReporter = in.r.str();
        }
      };

  private final long windowNs;
  private final long stormNs;
  private final long large;
  private final long minLost;

  public MtuBlackholeDetector(DetectionConfig cfg) {
    super(ALERT, REGISTRATION, 3, Set.of());
    this.windowNs = cfg.nanos(WINDOW_MS);
    this.stormNs = cfg.nanos(RetransmissionStormDetector.WINDOW_MS);
    this.large = cfg.get(LARGE_BYTES);
    this.minLost = cfg.get(MIN_LOST);
  }

  @Override
  public State newState() {
    return new State();
  }

  @Override
  public SliceCodec<State> codec() {
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
  public String verdict(Conversation c, State s) {
    return s.alert.active ? "MTU_BLACKHOLE" : null;
  }

  @Override
  public int verdictRank() {
    return 30;
  }

  @Override
  public void onPacket(DetectorContext ctx, Conversation c, PacketView p, State s) {
    if (p.hopDir != null
        && p.tcp
        && p.tcpClass != TcpAnalyzer.NONE
        && p.packet.getDf()
        && p.size >= large) {
      p.hopDir.largeDfRetransWin.add(p.ts, windowNs, 1);
    }
  }

  @Override
  public void onIcmpError(DetectorContext ctx, Conversation c, IcmpErrorView e, State s) {
    if (e.tooBig) {
      s.icmpMtu = e.icmp.getMtu();
      s.icmpMtuTs = e.ts;
      s.icmpReporter = e.reporter;
    }
  }

  @Override
  public void absorb(State keep, State gone) {
    if (gone.icmpMtuTs > keep.icmpMtuTs) {
      keep.icmpMtuTs = gone.icmpMtuTs;
      keep.icmpMtu = gone.icmpMtu;
      keep.icmpReporter = gone.icmpReporter;
    }
  }

  @Override
  public long nextDeadline(DetectorContext ctx, Conversation c, State s, long t) {
    return s.alert.active ? Paths.nextBoundary(t, ctx.lossWindowNanos()) : Long.MAX_VALUE;
  }

  @Override
  public void end(DetectorContext ctx, Conversation c, State s, String reason) {
    s.alert.resolve(ctx, c, AlertType.MTU_BLACKHOLE, reason);
  }

  @Override
  public void evaluate(DetectorContext ctx, Conversation c, State s, long t, boolean fin) {
    int lossDir = -1;
    for (int d = 0; d < 2; d++) {
      DirLoss dl = c.loss[d];
      long lostLarge = dl.lostLarge.sum(t, windowNs);
      boolean passed = dl.deliveredSmall.sum(t, windowNs) > 0 || dl.maxDeliveredSize > 0;
      if (lostLarge > 0
          && dl.lostSmall.sum(t, windowNs) == 0
          && sizesSplit(dl)
          && ((lostLarge >= minLost && passed) || oversize(ctx, c, d))
          && !largerDeliveredPending(ctx, c, d, dl.minLostSize)) {
        lossDir = d;
        break;
      }
    }
    boolean icmp = s.icmpMtuTs >= 0 && t - s.icmpMtuTs < windowNs;
    int retransDir = -1;
    long largeRetrans = 0;
    for (HopSlot slot : c.slots) {
      for (int d = 0; d < 2; d++) {
        HopDir h = slot.dir[d];
        long lg = h.largeDfRetransWin.sum(t, windowNs);
        long all = h.retransWin.sum(t, stormNs);
        if (lg >= minLost && all <= lg && lg > largeRetrans && noLargePassed(ctx, c, d)) {
          largeRetrans = lg;
          retransDir = d;
        }
      }
    }
    boolean active = lossDir >= 0 || icmp || retransDir >= 0;
    int d = lossDir >= 0 ? lossDir : retransDir >= 0 ? retransDir : 0;
    int ld = lossDir;
    long lr = largeRetrans;
    // retransmissions alone do not say where: the first alert waits (at most the lateness) for the
    // large packets in flight to settle, which names the segment where they die
    boolean await =
        active && !s.alert.active && lossDir < 0 && !icmp && awaitingLargeSettlement(ctx, c, d, t);
    s.alert.report(
        ctx,
        c,
        AlertType.MTU_BLACKHOLE,
        active && !await,
        () -> "MTU_BLACKHOLE|" + c.id(),
        t,
        () -> mtuAlert(ctx, c, s, t, d, ld >= 0, lr, icmp));
    if (active) {
      c.explainLoss(t);
    }
  }

  /**
   * An MTU diagnosis needs every lost size above every size that passed in this direction: a packet
   * at least as large as a lost one that got through makes the loss random, not MTU.
   */
  private static boolean sizesSplit(DirLoss dl) {
    return dl.minLostSize > 0 && dl.minLostSize > dl.maxDeliveredSize;
  }

  /**
   * Large DF retransmissions say MTU only when no large packet of this direction passed (settled as
   * delivered, or still pending but already at the end of its path): random loss of full-size
   * segments retransmits large segments too.
   */
  private boolean noLargePassed(DetectorContext ctx, Conversation c, int d) {
    DirLoss dl = c.loss[d];
    if (dl.maxDeliveredSize >= large || (dl.minLostSize > 0 && !sizesSplit(dl))) {
      return false;
    }
    return !largerDeliveredPending(ctx, c, d, (int) large);
  }

  /**
   * The lost packets are larger than the MTU of the interface they never reached (the first hop
   * that did not see them, on the sending side of a device: not an underlay hop, not a VTEP that
   * decapsulates what the uplink received): they cannot pass, whatever other traffic the flow has.
   */
  private static boolean oversize(DetectorContext ctx, Conversation c, int d) {
    DirLoss dl = c.loss[d];
    return dl.lostBefore != null
        && dl.minLostSize > 0
        && dl.minLostSize > deviceMtu(ctx, c, d, dl.lostAfter, dl.lostBefore);
  }

  /** MTU that limits packets going from hop {@code after} to {@code before}, MAX_VALUE if none. */
  private static int deviceMtu(
      DetectorContext ctx, Conversation c, int d, String after, String before) {
    io.hoptrace.schema.InterfaceRole afterRole = null;
    io.hoptrace.schema.InterfaceRole beforeRole = null;
    for (PathPlanner.PathHop h : ctx.planner().plan(c, d)) {
      if (h.hop().equals(after)) {
        afterRole = h.role();
      } else if (h.hop().equals(before)) {
        beforeRole = h.role();
      }
    }
    if (afterRole == io.hoptrace.schema.InterfaceRole.UPLINK
        || beforeRole == io.hoptrace.schema.InterfaceRole.UPLINK) {
      return Integer.MAX_VALUE;
    }
    int m = ctx.inventory().hopMtu(before);
    return m > 0 ? m : Integer.MAX_VALUE;
  }

  /**
   * Whether a packet of direction d at least {@code size} bytes is pending but was already seen at
   * the end of its path (delivered, not yet settled): it contradicts an MTU diagnosis.
   */
  private static boolean largerDeliveredPending(
      DetectorContext ctx, Conversation c, int d, int size) {
    if (size <= 0) {
      return false;
    }
    List<PathPlanner.PathHop> path = null;
    for (Pending p : c.pending) {
      if (p.dir == d && p.size >= size) {
        if (path == null) {
          path = ctx.planner().plan(c, d);
          if (path.isEmpty()) {
            return false;
          }
        }
        int end = path.get(path.size() - 1).slot();
        if (end >= 0 && end < 64 && (p.mask & (1L << end)) != 0) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether direction d has settled no loss lately while a large packet of it is still unsettled
   * short of the end of its path (its fate, and so the segment, is known within the lateness; once
   * any loss settled the wait is over, so it never lasts longer).
   */
  private boolean awaitingLargeSettlement(DetectorContext ctx, Conversation c, int d, long t) {
    DirLoss dl = c.loss[d];
    if (dl.lastLostTs >= 0 && t - dl.lastLostTs <= windowNs) {
      return false;
    }
    List<PathPlanner.PathHop> path = null;
    for (Pending p : c.pending) {
      if (p.dir == d && p.size >= large) {
        if (path == null) {
          path = ctx.planner().plan(c, d);
          if (path.isEmpty()) {
            return false;
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

  /** Large packets (and no small ones) of this direction were lost lately at a known segment. */
  private boolean recentLargeLoss(DirLoss dl, long t) {
    return dl.lostBefore != null
        && dl.lastLostTs >= 0
        && t - dl.lastLostTs <= windowNs
        && dl.lostLarge.sum(t, windowNs) > 0
        && dl.lostSmall.sum(t, windowNs) == 0;
  }

  private Alert mtuAlert(
      DetectorContext ctx,
      Conversation c,
      State st,
      long t,
      int d,
      boolean lossBased,
      long largeRetrans,
      boolean icmp) {
    InventoryIndex inventory = ctx.inventory();
    DirLoss dl = c.loss[d];
    List<PathPlanner.PathHop> path = ctx.planner().plan(c, d);
    boolean localised = lossBased || recentLargeLoss(dl, t);
    String after = localised ? dl.lostAfter : null;
    String before = localised ? dl.lostBefore : null;
    // bounds from the packets themselves: the largest that passed, below the smallest lost
    int lower = dl.maxDeliveredSize;
    int upper = dl.minLostSize > 0 ? dl.minLostSize - 1 : -1;
    int pmtu = -1;
    String source;
    if (icmp && st.icmpMtu > 0) {
      pmtu = st.icmpMtu;
      source = "icmp from " + st.icmpReporter;
    } else {
      PathMtu inv = inventoryPathMtu(inventory, c, path, d);
      if (inv != null && inv.mtu >= lower && (upper < 0 || inv.mtu <= upper)) {
        pmtu = inv.mtu;
        source = inv.source;
      } else if (lower > 0 && lower == upper) {
        pmtu = lower;
        source = "largest packet that passed, one byte below the smallest lost";
      } else {
        source = "unknown";
      }
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("largeLost", dl.lostLarge.sum(t, windowNs));
    counts.put("smallDelivered", dl.deliveredSmall.sum(t, windowNs));
    counts.put("largeDfRetransmissions", largeRetrans);
    Map<String, String> facts = new LinkedHashMap<>();
    if (pmtu > 0) {
      facts.put("pathMtu", String.valueOf(pmtu));
    }
    facts.put("pathMtuSource", source);
    if (pmtu <= 0 && lower > 0 && upper >= lower) {
      facts.put("pathMtuMin", String.valueOf(lower));
      facts.put("pathMtuMax", String.valueOf(upper));
    }
    if (dl.maxDeliveredSize > 0) {
      facts.put("largestPassed", String.valueOf(dl.maxDeliveredSize));
    }
    if (dl.minLostSize > 0) {
      facts.put("smallestLost", String.valueOf(dl.minLostSize));
    }
    facts.put("direction", d == 0 ? "forward" : "reverse");
    facts.put("flow", c.first().text());
    String where = after != null ? " between " + after + " and " + before : "";
    String hint =
        (dl.minLostSize > 0
                ? "packets of " + dl.minLostSize + " bytes and more are lost"
                : "large packets are lost")
            + where
            + (dl.maxDeliveredSize > 0
                ? " while packets up to " + dl.maxDeliveredSize + " bytes pass"
                : "")
            + (icmp ? " (frag-needed/packet-too-big received from " + st.icmpReporter + ")" : "")
            + (pmtu > 0
                ? ": path MTU is " + pmtu + "; set the pod/VTEP MTU to at most " + pmtu
                : lower > 0 && upper >= lower
                    ? ": path MTU is between "
                        + lower
                        + " and "
                        + upper
                        + "; lower the pod/VTEP MTU"
                    : ": lower the pod/VTEP MTU");
    long count = Math.max(1, counts.get("largeLost") + largeRetrans + (icmp ? 1 : 0));
    return Alerts.build(
        AlertType.MTU_BLACKHOLE,
        AlertStatus.FIRING,
        Alerts.flowSubject(c),
        Alerts.lostAt(after, before, d),
        count,
        hint,
        t,
        t,
        Paths.hopsSeen(c, path, d),
        before == null ? List.of() : Paths.hopsAfter(path, after),
        counts,
        facts,
        Alerts.communityIds(c));
  }

  private record PathMtu(int mtu, String source) {}

  /**
   * The path MTU from the node inventory: the smallest MTU of the interfaces on the direction's
   * path (pod, veth, bridge, VTEP: the inner packet's devices) and of each encapsulating node's
   * uplink minus the encapsulation overhead; null when the inventory knows none of them.
   */
  private static PathMtu inventoryPathMtu(
      InventoryIndex inventory, Conversation c, List<PathPlanner.PathHop> path, int d) {
    int best = Integer.MAX_VALUE;
    String source = null;
    for (PathPlanner.PathHop h : path) {
      if (h.role() == io.hoptrace.schema.InterfaceRole.UPLINK) {
        continue;
      }
      int m = inventory.hopMtu(h.hop());
      if (m > 0 && m < best) {
        best = m;
        source = "MTU of " + h.hop();
      }
    }
    for (HopSlot s : c.slots) {
      HopDir enc = s.dir[d];
      if (enc.encapType < 0) {
        continue;
      }
      int overhead =
          switch (StateCodes.encap(enc.encapType)) {
            case IPIP -> 20;
            case GRE -> 24;
            default -> 50;
          };
      if (enc.outerSrc != null && enc.outerSrc.indexOf(':') >= 0) {
        overhead += 20;
      }
      int uplink = inventory.uplinkMtu(s.node);
      if (uplink > 0 && uplink - overhead < best) {
        best = uplink - overhead;
        source =
            "uplink MTU "
                + uplink
                + " of "
                + s.node
                + " minus "
                + overhead
                + " bytes encapsulation";
      }
    }
    return source == null ? null : new PathMtu(best, source);
  }
}
