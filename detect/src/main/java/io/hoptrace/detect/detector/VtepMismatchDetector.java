package io.hoptrace.detect.detector;

import io.hoptrace.contract.HopId;
import io.hoptrace.contract.IpProto;
import io.hoptrace.detect.Alerts;
import io.hoptrace.detect.Conversation;
import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.detect.DirLoss;
import io.hoptrace.detect.Finding;
import io.hoptrace.detect.HopSlot;
import io.hoptrace.detect.InventoryIndex;
import io.hoptrace.detect.PathPlanner;
import io.hoptrace.detect.Setting;
import io.hoptrace.detect.net.Ip;
import io.hoptrace.detect.state.StateIn;
import io.hoptrace.detect.state.StateOut;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.AlertSubject;
import io.hoptrace.schema.AlertType;
import io.hoptrace.schema.CaptureDirection;
import io.hoptrace.schema.EncapLayer;
import io.hoptrace.schema.EncapType;
import io.hoptrace.schema.LostAt;
import io.hoptrace.schema.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * VTEP_MISMATCH: encapsulated packets, seen where they leave their sender, whose outer addresses
 * disagree with the VTEP inventory (destination no node's VTEP, claimed by several nodes, or a
 * source other than the registered one); reported as events at most once a second per note. A
 * misdirected destination explains the conversation's losses ({@link Conversation#explainLoss}).
 * The inventory's own conflicts are checked by the core's {@code InventoryAudit}.
 */
public final class VtepMismatchDetector extends BaseDetector<VtepMismatchDetector.State> {
  public static final Setting<Long> WINDOW_MS =
      Setting.ms("vtep.window.ms", 10_000, "Window of VTEP_MISMATCH.");
  public static final Setting<Long> MIN_PACKETS =
      Setting.count(
          "vtep.min.packets", 1, "Mismatching encapsulated packets in the window to alert.");

  static final AlertSpec ALERT =
      new AlertSpec(
          AlertType.VTEP_MISMATCH,
          Severity.CRITICAL,
          AlertSpec.Stage2.EVENTS_IN_WINDOW,
          WINDOW_MS,
          MIN_PACKETS,
          "encapsulated packets are sent to or from a wrong VTEP address");
  static final Detectors.Registration REGISTRATION =
      new Detectors.Registration(ALERT, List.of(WINDOW_MS, MIN_PACKETS), VtepMismatchDetector::new);

  private static final long SECOND = 1_000_000_000L;

  /** The slice: notes of mismatching encapsulation, with what is not yet reported. */
  public static final class State {
    public final List<VtepNote> notes = new ArrayList<>();
  }

  private static final SliceCodec<State> CODEC =
      new SliceCodec<>() {
        @Override
        public int version() {
          return 1;
        }

        @Override
        public void write(StateOut out, State s) {
          out.w.varInt(s.notes.size());
          for (VtepNote v : s.notes) {
            out.w.u8(v.kind).str(v.outerSrc).str(v.outerDst).varInt(v.port).str(v.sender);
            out.w.str(v.registered).str(v.claimants).str(v.hop);
            out.ts(v.firstTs).ts(v.lastTs);
            out.w.varLong(v.unreported);
            out.ts(v.lastReport);
          }
        }

        @Override
        public void read(StateIn in, int version, State s) {
          readNotes(in, s);
        }
      };

  /** Reads the note list (slice version 1, and conversation formats 1 and 2). */
  public static void readNotes(StateIn in, State s) {
    int n = in.r.count();
    for (int i = 0; i < n; i++) {
      VtepNote v = new VtepNote();
      v.kind = in.r.u8();
      v.outerSrc = in.r.str();
      v.outerDst = in.r.str();
      v.port = in.r.varInt();
      v.sender = in.r.str();
      v.registered = in.r.str();
      v.claimants = in.r.str();
      v.hop = in.r.str();
      v.firstTs = in.ts();
      v.lastTs = in.ts();
      v.unreported = in.r.varLong();
      v.lastReport = in.ts();
      s.notes.add(v);
    }
  }

  public VtepMismatchDetector(DetectionConfig cfg) {
    super(ALERT, REGISTRATION, 5, Set.of());
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
  public void absorb(State keep, State gone) {
    keep.notes.addAll(gone.notes);
  }

  @Override
  public void onPacket(DetectorContext ctx, Conversation c, PacketView p, State s) {
    List<EncapLayer> encap = p.packet.getEncap();
    if (encap.isEmpty()) {
      return;
    }
    InventoryIndex inventory = ctx.inventory();
    if (!inventory.knowsVteps()) {
      return;
    }
    EncapLayer l = encap.get(0);
    String oSrc = Ip.canonical(l.getOuterSrc());
    String oDst = Ip.canonical(l.getOuterDst());
    String node = p.packet.getNode();
    String sender = inventory.ownerOf(p.src);
    if (sender == null) {
      sender = inventory.ownerOf(oSrc);
    }
    if (sender == null && p.packet.getDirection() == CaptureDirection.OUTBOUND) {
      sender = node;
    }
    boolean atSender = sender == null || sender.equals(node) || ctx.hopsOf(sender) == null;
    if (!atSender) {
      return;
    }
    String hop = p.hop;
    long ts = p.ts;
    boolean udpTunnel = l.getType() == EncapType.VXLAN || l.getType() == EncapType.GENEVE;
    if (udpTunnel) {
      List<String> claim = inventory.vtepClaimants(oDst);
      if (claim.isEmpty() && !inventory.isVtepNodeAddress(oDst)) {
        note(s, VtepNote.UNKNOWN_DST, oSrc, oDst, l.getOuterDport(), sender, null, "", hop, ts);
      } else if (claim.size() > 1) {
        note(
            s,
            VtepNote.DUPLICATE_DST,
            oSrc,
            oDst,
            l.getOuterDport(),
            sender,
            null,
            String.join(",", claim),
            hop,
            ts);
      }
      if (sender != null) {
        // the source the peers expect (their FDB entries for the sender), else its VTEP's local
        List<String> registered = inventory.registeredVtepAddresses(sender);
        if (!registered.isEmpty() && !registered.contains(oSrc)) {
          note(
              s,
              VtepNote.WRONG_SRC,
              oSrc,
              oDst,
              l.getOuterDport(),
              sender,
              registered.get(0),
              "",
              hop,
              ts);
        }
      }
    } else if (inventory.ownerOf(oDst) == null) {
      note(s, VtepNote.UNKNOWN_DST, oSrc, oDst, -1, sender, null, "", hop, ts);
    }
  }

  private static void note(
      State s,
      int kind,
      String oSrc,
      String oDst,
      int port,
      String sender,
      String registered,
      String claimants,
      String hop,
      long ts) {
    VtepNote n = null;
    for (VtepNote x : s.notes) {
      if (x.kind == kind
          && (kind == VtepNote.WRONG_SRC ? oSrc.equals(x.outerSrc) : oDst.equals(x.outerDst))) {
        n = x;
        break;
      }
    }
    if (n == null) {
      n = new VtepNote();
      n.kind = kind;
      n.outerSrc = oSrc;
      n.outerDst = oDst;
      n.port = port;
      n.sender = sender;
      n.registered = registered;
      n.claimants = claimants;
      n.hop = hop;
      n.firstTs = ts;
      s.notes.add(n);
    }
    n.lastTs = Math.max(n.lastTs, ts);
    n.unreported++;
  }

  @Override
  public long nextDeadline(DetectorContext ctx, Conversation c, State s, long t) {
    long dl = Long.MAX_VALUE;
    for (VtepNote n : s.notes) {
      if (n.unreported > 0) {
        dl = Math.min(dl, n.lastReport < 0 ? t : n.lastReport + SECOND);
      }
    }
    return dl;
  }

  @Override
  public void evaluate(DetectorContext ctx, Conversation c, State s, long t, boolean fin) {
    flush(ctx, c, s, t, fin);
    c.wrongOuterSource(0, null, null, null);
    c.wrongOuterSource(1, null, null, null);
    for (VtepNote n : s.notes) {
      if (n.kind != VtepNote.WRONG_SRC) {
        c.explainLoss(n.lastTs);
      } else {
        // what lost-at hints of this conversation say about its direction (ONE_WAY runs after)
        int d = encapDirection(c, n);
        if (d >= 0) {
          c.wrongOuterSource(d, n.sender, n.outerSrc, n.registered);
        }
      }
    }
  }

  @Override
  public void end(DetectorContext ctx, Conversation c, State s, String reason) {
    flush(ctx, c, s, ctx.now(), true);
  }

  private void flush(DetectorContext ctx, Conversation c, State s, long t, boolean all) {
    for (VtepNote n : s.notes) {
      if (n.unreported > 0 && (all || n.lastReport < 0 || t - n.lastReport >= SECOND)) {
        ctx.out().finding(finding(ctx, c, n));
        n.unreported = 0;
        n.lastReport = t;
      }
    }
  }

  private Finding finding(DetectorContext ctx, Conversation c, VtepNote n) {
    String sender = n.sender != null ? n.sender : HopId.nodeOf(n.hop);
    String hint;
    String vtepAddr;
    switch (n.kind) {
      case VtepNote.UNKNOWN_DST -> {
        vtepAddr = n.outerDst;
        hint =
            sender
                + " encapsulates packets to "
                + n.outerDst
                + ", which is no node's VTEP address: the FDB/neighbour entry of its VTEP points to"
                + " a wrong address (check `bridge fdb show` on "
                + sender
                + ")";
      }
      case VtepNote.DUPLICATE_DST -> {
        vtepAddr = n.outerDst;
        hint =
            sender
                + " encapsulates packets to "
                + n.outerDst
                + ", which several nodes claim as their VTEP address ("
                + n.claimants
                + "): the VTEPs registered a non-unique (e.g. NAT-only) address; set the tunnel"
                + " interface/public IP explicitly";
      }
      default -> {
        vtepAddr = n.outerSrc;
        hint =
            sender
                + " encapsulates with source "
                + n.outerSrc
                + ", but its registered VTEP address is "
                + n.registered
                + ": the node has two addresses and the tunnel uses the wrong one";
      }
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("packets", n.unreported);
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("outerSrc", n.outerSrc);
    facts.put("outerDst", n.outerDst);
    if (sender != null) {
      facts.put("sender", sender);
    }
    if (n.registered != null) {
      facts.put("registered", n.registered);
    }
    if (!n.claimants.isEmpty()) {
      facts.put("claimants", n.claimants);
    }
    facts.put(
        "kind",
        switch (n.kind) {
          case VtepNote.UNKNOWN_DST -> "unknown-destination";
          case VtepNote.DUPLICATE_DST -> "duplicate-vtep";
          default -> "wrong-source";
        });
    facts.put("flow", c.first().text());
    AlertSubject subject =
        AlertSubject.newBuilder()
            .setKind("VTEP")
            .setSrc(n.outerSrc)
            .setDst(n.outerDst)
            .setProto(IpProto.UDP)
            .setDport(n.port)
            .setNode(sender)
            .setVtep(vtepAddr)
            .build();
    // packets sent to a wrong outer address: lost right after the hop that saw them leave
    LostAt lostAt = null;
    for (int d = 0; d < 2 && n.kind != VtepNote.WRONG_SRC; d++) {
      DirLoss dl = c.loss[d];
      if (dl.lostBefore != null && n.hop.equals(dl.lostAfter)) {
        lostAt = Alerts.lostAt(dl.lostAfter, dl.lostBefore, d);
        break;
      }
    }
    if (lostAt == null && n.kind == VtepNote.UNKNOWN_DST) {
      // no packet settled yet (they settle after the lateness): an address that is no node's
      // VTEP is no next hop, so they die after the hop that saw them leave, before the next
      // expected hop
      lostAt = lostAfterHop(ctx, c, encapDirection(c, n), n.hop);
    }
    Alert a =
        Alerts.build(
            AlertType.VTEP_MISMATCH,
            AlertStatus.FIRING,
            subject,
            lostAt,
            n.unreported,
            hint,
            n.firstTs,
            n.lastTs,
            List.of(n.hop),
            List.of(),
            counts,
            facts,
            Alerts.communityIds(c));
    return new Finding(n.aggregateKey(), Finding.Kind.EVENT, c.id(), a);
  }

  /** The direction whose packets a VTEP note is about (their outer addresses at its hop). */
  private static int encapDirection(Conversation c, VtepNote n) {
    for (HopSlot s : c.slots) {
      if (s.hop.equals(n.hop)) {
        for (int d = 0; d < 2; d++) {
          if (n.outerDst.equals(s.dir[d].outerDst) && n.outerSrc.equals(s.dir[d].outerSrc)) {
            return d;
          }
        }
      }
    }
    return -1;
  }

  /** The segment from {@code hop} to the next expected hop of direction d, or null. */
  private static LostAt lostAfterHop(DetectorContext ctx, Conversation c, int d, String hop) {
    if (d < 0) {
      return null;
    }
    List<PathPlanner.PathHop> path = ctx.planner().plan(c, d);
    for (int i = 0; i + 1 < path.size(); i++) {
      if (path.get(i).hop().equals(hop)) {
        return Alerts.lostAt(hop, path.get(i + 1).hop(), d);
      }
    }
    return null;
  }
}
