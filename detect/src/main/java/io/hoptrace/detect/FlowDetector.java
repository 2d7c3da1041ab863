package io.hoptrace.detect;

import io.hoptrace.contract.FlowKey;
import io.hoptrace.contract.IpProto;
import io.hoptrace.detect.detector.CountersView;
import io.hoptrace.detect.detector.Detector;
import io.hoptrace.detect.detector.DetectorContext;
import io.hoptrace.detect.detector.Detectors;
import io.hoptrace.detect.detector.IcmpErrorView;
import io.hoptrace.detect.detector.PacketView;
import io.hoptrace.detect.net.Ip;
import io.hoptrace.schema.FlowDirection;
import io.hoptrace.schema.FlowHopCounters;
import io.hoptrace.schema.IcmpInfo;
import io.hoptrace.schema.KernelDrop;
import io.hoptrace.schema.PacketSummary;
import io.hoptrace.schema.TcpInfo;
import java.util.List;
import java.util.Map;

/**
 * Stage 1 of detection: per conversation. Fed with {@link PacketSummary}s (any order within the
 * configured lateness), it keeps per-(conversation, hop, direction) accounting in the host's {@link
 * FlowStores}, links NAT-rewritten flow keys, decides where packets are lost, and emits {@link
 * io.hoptrace.schema.FlowRecord}s and {@link Finding}s through a {@link DetectionOutput}. Per-flow
 * alerts (ONE_WAY, RETRANSMISSION_STORM, MTU_BLACKHOLE) are reported as state findings; ICMP
 * errors, DNS failures and VTEP mismatches as events; {@link AlertAggregator} (stage 2) turns them
 * into deduplicated alerts.
 *
 * <p>The detectors themselves are classes of {@link io.hoptrace.detect.detector} ({@link
 * Detectors}); this class is the shared machinery around them: intake and per-hop accounting,
 * request tracking, settlement ({@link Settler}), NAT linking ({@link NatLinker}), the
 * conversation's life and timers ({@link ConversationLifecycle}) and the inventory audit ({@link
 * InventoryAudit}). It lends the detectors a {@link DetectorContext}.
 *
 * <p>Time is event time ({@link FlowClock}): the largest packet timestamp seen, or what the host
 * passes to {@link #advanceTo} (a wall-clock punctuation, so that silent conversations still time
 * out; a watermark, where one instance reads inputs that progress apart: {@link TimeBase}).
 * Conversations are woken through the {@link Timers} port: the host calls {@link #onTimer} for each
 * timer due; {@link #endOfInput} is the explicit end of input. Not thread-safe: one instance per
 * task.
 */
public final class FlowDetector implements DetectorContext {
  private static final int[] NO_DETECTORS = {};

  private final FlowStores stores;
  private final Timers timers;
  private final StampedOutput out;
  private final long dropsMaxAgeNs;
  private final boolean onewayDns;
  private final RequestTracker requests;
  private final HopRegistry hops;
  private final long dupNs;
  private final long latenessNs;
  private final int maxPending;
  private final long flowUpdateNs;
  private final int maxHops;
  private final long lossWindowNs;
  private final long endOfInputNs;

  /** The detectors, in registration order (the order of a conversation's slices). */
  private final Detector<Object>[] detectors;

  /** Indexes into {@link #detectors} in evaluation order (their declared dependencies). */
  private final int[] order;

  private final Settler settler;
  private final NatLinker nat;
  private final ConversationLifecycle lifecycle;
  private final InventoryTracker inventory;
  private final CounterIntake counters;

  /** The conversation an intake ({@link CounterIntake}, {@link IcmpErrorIntake}) resolved. */
  private final Conversation[] countersOf = new Conversation[1];

  private final PacketView view = new PacketView();
  private final IcmpErrorIntake icmpErrors;

  private final FlowClock clock;

  private final StatCounts stats = new StatCounts();

  /** Over the host's stores, with timers in their deadline index ({@link DeadlineTimers}). */
  public FlowDetector(
      DetectionConfig cfg, FlowStores stores, InventorySource inventory, DetectionOutput out) {
    this(cfg, stores, new DeadlineTimers(stores.deadlines()), inventory, out);
  }

  /** Over the host's stores and timer service; event time from the records ({@link TimeBase}). */
  public FlowDetector(
      DetectionConfig cfg,
      FlowStores stores,
      Timers timers,
      InventorySource inventory,
      DetectionOutput out) {
    this(cfg, TimeBase.RECORDS, stores, timers, inventory, out);
  }

  /** Over the host's stores and timer service, event time from {@code time}. */
  @SuppressWarnings("unchecked")
  public FlowDetector(
      DetectionConfig cfg,
      TimeBase time,
      FlowStores stores,
      Timers timers,
      InventorySource inventory,
      DetectionOutput out) {
    this.stores = stores;
    this.timers = timers;
    this.dropsMaxAgeNs = cfg.nanos(DetectionConfig.DROPS_MAX_AGE_MS);
    this.out = new StampedOutput(out, dropsMaxAgeNs);
    this.onewayDns = cfg.get(DetectionConfig.ONE_WAY_DNS);
    this.requests = new RequestTracker(cfg, this::count);
    this.hops = new HopRegistry(stores.hops());
    this.dupNs = cfg.get(DetectionConfig.DUPLICATE_CAPTURE_NS);
    this.latenessNs = cfg.nanos(DetectionConfig.LATENESS_MS);
    this.clock = new FlowClock(time, latenessNs);
    this.maxPending = (int) Math.min(4096, cfg.get(DetectionConfig.MAX_PENDING_FINGERPRINTS));
    this.flowUpdateNs = cfg.nanos(DetectionConfig.FLOW_UPDATE_INTERVAL_MS);
    this.maxHops = (int) Math.min(64, cfg.get(DetectionConfig.MAX_HOPS));
    List<Detector<?>> ds = Detectors.create(cfg);
    this.detectors = ds.toArray(new Detector[0]);
    this.order = Detectors.evaluationOrder(ds);
    long w = Long.MAX_VALUE;
    for (Detector<?> d : ds) {
      w = Math.min(w, d.lossWindowNanos());
    }
    this.lossWindowNs = w;
    this.settler = new Settler(cfg, lossWindowNs, this::planner);
    this.nat =
        new NatLinker(
            cfg,
            stores,
            timers,
            this::load,
            (gone, keep) -> ended(gone, "merged into " + keep.id),
            this::count);
    this.lifecycle =
        new ConversationLifecycle(
            cfg,
            stores,
            timers,
            this::evaluate,
            this::nextDeadline,
            c -> ended(c, "expired"),
            this::count);
    this.inventory =
        new InventoryTracker(inventory, new InventoryAudit(stores.aliases(), this.out), this.out);
    this.counters = new CounterIntake(hops, requests, this::load, this::count, maxHops);
    this.icmpErrors = new IcmpErrorIntake(this::load, this::count);
    this.endOfInputNs = endOfInputNanos(cfg);
  }

  /**
   * How far (ns) {@link #endOfInput} moves event time: four times the idle timeout, the lateness
   * and every detector's drain time.
   */
  public static long endOfInputNanos(DetectionConfig cfg) {
    return 4
        * (cfg.nanos(DetectionConfig.FLOW_IDLE_TIMEOUT_MS)
            + Detectors.drainNanos(Detectors.create(cfg))
            + cfg.nanos(DetectionConfig.LATENESS_MS));
  }

  /** Current event time of this instance (ns), Long.MIN_VALUE before any input. */
  @Override
  public long now() {
    return clock.now();
  }

  /** Counters: packets, duplicates, skipped records by reason, conversations, ... */
  public Map<String, Long> stats() {
    return stats.snapshot();
  }

  @Override
  public void count(String what) {
    stats.add(what);
  }

  // ------------------------------------------------------------------------ detector context

  @Override
  public DetectionOutput out() {
    return out;
  }

  @Override
  public InventoryIndex inventory() {
    return inventory.index();
  }

  @Override
  public PathPlanner planner() {
    return new PathPlanner(inventory.index(), this::hopsOf, hops.version());
  }

  @Override
  public long latenessNanos() {
    return latenessNs;
  }

  @Override
  public long lossWindowNanos() {
    return lossWindowNs;
  }

  @Override
  public boolean oneWayDns() {
    return onewayDns;
  }

  @Override
  public boolean tunnelFlow(Conversation c) {
    return requests.tunnelFlow(c);
  }

  @Override
  public List<HopInfo> hopsOf(String node) {
    return hops.hopsOf(node);
  }

  @SuppressWarnings("unchecked")
  private Detector<Object> detector(int i) {
    return detectors[i];
  }

  // ------------------------------------------------------------------------------------ intake

  /** Processes one packet summary. Bad records are counted and skipped, never thrown. */
  public void onPacket(PacketSummary p) {
    count("packets");
    long ts = p.getTsNanos();
    inventory.refresh(clock.onRecord(ts));
    if (p.getIpVersion() == 0 || p.getSrc() == null || p.getDst() == null || p.getProto() < 0) {
      count("skipped.NOT_IP");
      return;
    }
    String hop = HopRegistry.hopId(p);
    hops.register(hop, p);
    IcmpInfo icmp = p.getIcmp();
    if (icmp != null && RequestTracker.isIcmpError(p.getProto(), icmp.getType())) {
      onIcmpError(p, icmp, hop);
      return;
    }
    String src = Ip.canonical(p.getSrc());
    String dst = Ip.canonical(p.getDst());
    int sport = p.getSport();
    int dport = p.getDport();
    int proto = p.getProto();
    FlowKey flowKey = FlowKey.of(proto, src, sport, dst, dport);
    String key = flowKey.toString();
    Conversation c = load(key);
    if (c == null) {
      c = new Conversation();
      c.id = key;
      c.tuples.add(requests.newTuple(key, p, src, dst));
      count("conversations");
    }
    int ti = c.tupleIndex(key);
    if (ti < 0) {
      c.tuples.add(requests.newTuple(key, p, src, dst));
      ti = c.tuples.size() - 1;
    }
    TupleInfo t = c.tuples.get(ti);
    requests.reorient(c, t, p, src, sport);
    t.firstSeen = Math.min(t.firstSeen, ts);
    if (t.communityId == null && p.getCommunityId() != null) {
      t.communityId = p.getCommunityId();
    }
    int d = t.dirOf(src, sport);
    TcpInfo tcp = p.getTcp();
    int flags = tcp != null ? tcp.getFlags() : 0;
    int payload = Math.max(0, p.getPayloadLength());
    long fp = p.getFingerprint();
    int size = p.getIpLength() > 0 ? p.getIpLength() : p.getWireLength();

    int si = c.slotIndex(hop, ti);
    if (si < 0) {
      if (c.slots.size() < maxHops) {
        c.slots.add(new HopSlot(hop, p.getNode(), p.getPod(), p.getRole(), ti));
        si = c.slots.size() - 1;
      } else {
        count("hops.overflow");
      }
    }
    HopDir hd = null;
    int cls = TcpAnalyzer.NONE;
    if (si >= 0) {
      HopSlot slot = c.slots.get(si);
      hd = slot.dir[d];
      cls = HopAccounting.account(slot, d, p, tcp, payload, size, fp, ts, dupNs);
      if (cls == HopAccounting.DUPLICATE) {
        count("duplicates");
        return;
      }
    }

    // packet matching across hops
    boolean firstSighting = true;
    if (fp != 0) {
      Pending pe = findPending(c, fp, d);
      if (pe != null) {
        firstSighting = false;
        if (si >= 0) {
          pe.mask |= 1L << si;
        }
      } else {
        pe = new Pending();
        pe.fp = fp;
        pe.dir = d;
        pe.size = size;
        pe.df = p.getDf();
        pe.firstTs = ts;
        pe.mask = si >= 0 ? 1L << si : 0;
        c.pending.add(pe);
        if (c.pending.size() > maxPending) {
          settler.settleOldest(c);
          count("pending.early");
        }
      }
    }

    // conversation level
    c.sawPackets(d, ts, ts);
    requests.onPacket(c, p, d, tcp != null, flags, payload, ts, firstSighting);
    if (p.getDns() != null && proto == IpProto.UDP && (sport == 53 || dport == 53)) {
      c.dnsFlow = true;
    }
    PacketView v = view;
    v.packet = p;
    v.hop = hop;
    v.src = src;
    v.dst = dst;
    v.sport = sport;
    v.dport = dport;
    v.proto = proto;
    v.ts = ts;
    v.dir = d;
    v.hopDir = hd;
    v.tcp = tcp != null;
    v.flags = flags;
    v.tcpClass = cls;
    v.payload = payload;
    v.size = size;
    out.at = clock.evaluationTime(c);
    out.conv = c;
    for (int i : order) {
      detector(i).onPacket(this, c, v, c.slices[i]);
    }
    v.packet = null;
    if (fp != 0 && firstSighting) {
      c.natIndexed[d]++;
    }
    if (nat.indexes(c, t, d, fp, ts)) {
      boolean aToB = flowKey.directionOf(src, sport) == FlowDirection.A_TO_B;
      c = nat.link(c, key, d, p.getNode(), aToB, fp, ts);
    }
    if (c.tuples.size() > 1) {
      c.orderTuples();
    }
    afterIntake(c);
  }

  /**
   * Processes one record of stage 1's input: either kind of the packets topic ({@link
   * PacketSummary}, {@link FlowHopCounters}: {@code io.hoptrace.schema.PacketsRecordCodec}) or a
   * kernel drop ({@link KernelDrop}, drops topic); anything else is counted ({@code
   * skipped.UNKNOWN_KIND}) and skipped.
   */
  public void onRecord(org.apache.avro.specific.SpecificRecord r) {
    if (r instanceof PacketSummary p) {
      onPacket(p);
    } else if (r instanceof FlowHopCounters k) {
      onCounters(k);
    } else if (r instanceof KernelDrop k) {
      onDrop(k);
    } else {
      count("skipped.UNKNOWN_KIND");
    }
  }

  /**
   * Processes one counters record of a sensor's reducer (packets it folded instead of sending them
   * one by one): the hop's accounting and TCP state, the conversation's request/reply bookkeeping,
   * the detectors' {@code onCounters}. Records of no conversation are counted and skipped, never
   * thrown.
   */
  public void onCounters(FlowHopCounters k) {
    count("counters");
    inventory.refresh(clock.onRecord(k.getLastTsNanos()));
    CountersView v = counters.apply(k, countersOf);
    Conversation c = countersOf[0];
    countersOf[0] = null;
    if (v == null) {
      return;
    }
    out.at = clock.evaluationTime(c);
    out.conv = c;
    for (int i : order) {
      detector(i).onCounters(this, c, v, c.slices[i]);
    }
    v.counters = null;
    afterIntake(c);
  }

  /** After an intake: judges the conversation now, sets its timer and stores it. */
  private void afterIntake(Conversation c) {
    evaluate(c, clock.evaluationTime(c), false);
    lifecycle.schedule(c, clock.intakeTime(c));
    stores.conversations().put(c.id, c);
  }

  /**
   * Notes drops the kernel reported for packets of a conversation ({@link KernelDrop}, the drops
   * topic): its firing alerts then say what the kernel said ({@link DropJoin}). Drop records carry
   * the sensors' wall clock and do not move event time. Records of no conversation (the flow's
   * packets never reached this task, or it ended) and records without a flow are counted and
   * skipped, never thrown.
   */
  public void onDrop(KernelDrop k) {
    count("drops");
    String key = DropJoin.conversationKey(k);
    if (key == null) {
      count("drops.skipped.INVALID");
      return;
    }
    Conversation c = load(key);
    if (c == null) {
      count("drops.skipped.NO_CONVERSATION");
      return;
    }
    c.drops.add(k, dropsMaxAgeNs);
    stores.conversations().put(c.id, c);
  }

  private static Pending findPending(Conversation c, long fp, int d) {
    for (Pending p : c.pending) {
      if (p.fp == fp && p.dir == d) {
        return p;
      }
    }
    return null;
  }

  private Conversation load(String key) {
    String id = stores.aliases().get(key);
    return stores.conversations().get(id != null ? id : key);
  }

  // ------------------------------------------------------------------------------------ ICMP

  private void onIcmpError(PacketSummary p, IcmpInfo icmp, String hop) {
    IcmpErrorView e = icmpErrors.apply(p, icmp, hop, countersOf);
    Conversation c = countersOf[0];
    countersOf[0] = null;
    if (e == null) {
      return;
    }
    out.at = clock.evaluationTime(c);
    out.conv = c;
    for (int i : order) {
      detector(i).onIcmpError(this, c, e, c.slices[i]);
    }
    e.packet = null;
    afterIntake(c);
  }

  // ------------------------------------------------------------------------------ inventory

  /**
   * For hosts that keep {@link FlowStores#fingerprints()} in memory only: rebuilds that NAT index
   * from the restored conversations. Call once, after state is restored and before the first
   * packet.
   *
   * @return the number of fingerprint sightings indexed
   */
  public int rebuildNatIndex() {
    return nat.rebuildIndex();
  }

  /**
   * For hosts whose timers are not part of their restored state (the Kafka Streams host keeps its
   * deadline index in memory, like the NAT index): wakes every restored conversation at its
   * deadline again. Call once, after state is restored and before the first packet.
   *
   * @return the number of timers set
   */
  public int restoreTimers() {
    return lifecycle.restoreTimers();
  }

  /**
   * Checks the inventory itself ({@link InventoryAudit}): emits state findings when that changes
   * (also done when a packet or {@link #advanceTo} finds the inventory changed). Before any event
   * time is known the findings wait for it, so that they carry event time.
   */
  public void checkInventory() {
    inventory.check(clock.now());
  }

  // ------------------------------------------------------------------------------------ time

  /**
   * Advances event time (e.g. from a punctuation); the host then fires the timers due at {@link
   * #now()} ({@link #onTimer}).
   */
  public void advanceTo(long nowNanos) {
    clock.advanceTo(nowNanos);
    long now = clock.now();
    if (now == Long.MIN_VALUE) {
      return;
    }
    inventory.refresh(now);
    nat.sweep(now);
  }

  /** Forgets NAT fingerprints too old to link now, in a per-key store view (Flink keyed state). */
  public void forgetOldFingerprints(long nowNanos) {
    nat.sweepNow(nowNanos);
  }

  /** How long after its capture time a NAT fingerprint can still link a conversation (ns). */
  public static long fingerprintRetentionNanos(DetectionConfig cfg) {
    return NatLinker.retentionNanos(cfg);
  }

  /**
   * The timer of conversation {@code id} for {@code at} fired: processes it up to the current event
   * time (matches that settled, timeouts, expiry). Timers of conversations gone are dropped.
   */
  public void onTimer(String id, long at) {
    long now = clock.now();
    if (now == Long.MIN_VALUE) {
      return;
    }
    lifecycle.fire(id, at, now);
  }

  /**
   * End of input: moves event time far enough for every conversation to end and every window to
   * drain, and returns it; the host then fires the timers due at that time.
   */
  public long endOfInput() {
    long now = clock.now();
    if (now == Long.MIN_VALUE) {
      return now;
    }
    advanceTo(now + endOfInputNs);
    return clock.now();
  }

  private long nextDeadline(Conversation c, long t) {
    long dl = settler.nextSettlement(c);
    if (c.dirty) {
      dl = Math.min(dl, Math.max(c.lastFlowEmit, c.firstSeen) + flowUpdateNs);
    }
    if (c.loss[0].lost.cur > 0 || c.loss[1].lost.cur > 0) {
      dl = Math.min(dl, (Math.floorDiv(t, lossWindowNs) + 1) * lossWindowNs);
    }
    for (int i : judged(c)) {
      dl = Math.min(dl, detector(i).nextDeadline(this, c, c.slices[i], t));
    }
    return dl;
  }

  /** Every detector's end of a conversation (expired, or merged into another). */
  private void ended(Conversation c, String reason) {
    for (int i = 0; i < detectors.length; i++) {
      detector(i).end(this, c, c.slices[i], reason);
    }
  }

  // ------------------------------------------------------------------------------------ verdicts

  /** Multicast/broadcast has no unicast path to judge: no detector, no alert, NO_UNICAST_PATH. */
  private int[] judged(Conversation c) {
    return FlowRecords.noUnicastPath(c, inventory.index()) ? NO_DETECTORS : order;
  }

  private void evaluate(Conversation c, long t, boolean fin) {
    out.at = t;
    out.conv = c;
    settler.settleDue(c, t, fin);
    for (int i : judged(c)) {
      detector(i).evaluate(this, c, c.slices[i], t, fin);
    }
    c.clearEvaluationFacts();
    if (fin || (c.dirty && t - Math.max(c.lastFlowEmit, c.firstSeen) >= flowUpdateNs)) {
      String verdict = FlowRecords.verdict(c, detectors, inventory.index());
      out.flow(FlowRecords.build(c, planner(), verdict, fin));
      c.lastFlowEmit = t;
      c.dirty = false;
    }
  }
}
