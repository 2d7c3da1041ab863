package io.hoptrace.detect;

import io.hoptrace.contract.FlowKey;
import io.hoptrace.contract.HopId;
import io.hoptrace.contract.IpProto;
import io.hoptrace.detect.net.Ip;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.AlertSubject;
import io.hoptrace.schema.AlertType;
import io.hoptrace.schema.CaptureDirection;
import io.hoptrace.schema.DnsInfo;
import io.hoptrace.schema.EncapLayer;
import io.hoptrace.schema.EncapType;
import io.hoptrace.schema.FiveTuple;
import io.hoptrace.schema.IcmpInfo;
import io.hoptrace.schema.PacketSummary;
import io.hoptrace.schema.TcpInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Stage 1 of detection: per conversation. Fed with {@link PacketSummary}s (any order within the
 * configured lateness), it keeps per-(conversation, hop, direction) accounting in the host's {@link
 * FlowStores}, links NAT-rewritten flow keys, decides where packets are lost, and emits {@link
 * io.hoptrace.schema.FlowRecord}s and {@link Finding}s through a {@link DetectionOutput}. Per-flow
 * alerts (ONE_WAY, RETRANSMISSION_STORM, MTU_BLACKHOLE) are reported as state findings; ICMP
 * errors, DNS failures and VTEP mismatches as events; {@link AlertAggregator} (stage 2) turns them
 * into deduplicated alerts.
 *
 * <p>Time is event time: the largest packet timestamp seen, or what the host passes to {@link
 * #advanceTo} (e.g. from a wall-clock punctuation) so that silent conversations still time out. Not
 * thread-safe: one instance per task.
 */
public final class FlowDetector {
  private static final long SECOND = 1_000_000_000L;
  private static final String INVENTORY_FINDINGS = "#inventory-findings";

  private final FlowStores stores;
  private final InventorySource inventorySource;
  private final DetectionOutput out;
  private final boolean onewayDns;
  private final Set<Integer> requestPorts;
  private final Set<Integer> neverPorts;
  private final long oneWayNs;
  private final long oneWayMinLost;
  private final long dupNs;
  private final long latenessNs;
  private final int maxPending;
  private final long stormNs;
  private final long stormMin;
  private final double stormRatio;
  private final long mtuNs;
  private final long mtuLarge;
  private final long mtuMinLost;
  private final long dnsTimeoutNs;
  private final long dnsWindowNs;
  private final long natNs;
  private final long natPackets;
  private final long idleNs;
  private final long lingerNs;
  private final long flowUpdateNs;
  private final int maxHops;
  private final long minWindowNs;

  private InventoryIndex inventory = InventoryIndex.EMPTY;

  /** The inventory changed and its own findings (bad FDB entries, ...) are not yet emitted. */
  private boolean inventoryUnchecked;

  private long inventoryCheckedAt = Long.MIN_VALUE;
  private final Map<String, List<HopInfo>> hopsByNode = new HashMap<>();
  private final Set<String> knownHops = new java.util.HashSet<>();
  private boolean hopsLoaded;
  private long now = Long.MIN_VALUE;
  private long lastSweep = Long.MIN_VALUE;
  private final Map<String, Long> stats = new TreeMap<>();

  public FlowDetector(
      DetectionConfig cfg, FlowStores stores, InventorySource inventory, DetectionOutput out) {
    this.stores = stores;
    this.inventorySource = inventory;
    this.out = out;
    this.onewayDns = cfg.get(DetectionConfig.ONE_WAY_DNS);
    this.requestPorts = cfg.get(DetectionConfig.ONE_WAY_UDP_REQUEST_PORTS);
    this.neverPorts = cfg.get(DetectionConfig.ONE_WAY_UDP_NEVER_PORTS);
    this.oneWayNs = cfg.nanos(DetectionConfig.ONE_WAY_WINDOW_MS);
    this.oneWayMinLost = cfg.get(DetectionConfig.ONE_WAY_MIN_LOST);
    this.dupNs = cfg.get(DetectionConfig.DUPLICATE_CAPTURE_NS);
    this.latenessNs = cfg.nanos(DetectionConfig.LATENESS_MS);
    this.maxPending = (int) Math.min(4096, cfg.get(DetectionConfig.MAX_PENDING_FINGERPRINTS));
    this.stormNs = cfg.nanos(DetectionConfig.STORM_WINDOW_MS);
    this.stormMin = cfg.get(DetectionConfig.STORM_MIN_RETRANSMISSIONS);
    this.stormRatio = cfg.get(DetectionConfig.STORM_MIN_RATIO);
    this.mtuNs = cfg.nanos(DetectionConfig.MTU_WINDOW_MS);
    this.mtuLarge = cfg.get(DetectionConfig.MTU_LARGE_BYTES);
    this.mtuMinLost = cfg.get(DetectionConfig.MTU_MIN_LOST);
    this.dnsTimeoutNs = cfg.nanos(DetectionConfig.DNS_TIMEOUT_MS);
    this.dnsWindowNs = cfg.nanos(DetectionConfig.DNS_WINDOW_MS);
    this.natNs = cfg.nanos(DetectionConfig.NAT_LINK_WINDOW_MS);
    this.natPackets = cfg.get(DetectionConfig.NAT_INDEXED_PACKETS);
    this.idleNs = cfg.nanos(DetectionConfig.FLOW_IDLE_TIMEOUT_MS);
    this.lingerNs = cfg.nanos(DetectionConfig.FLOW_CLOSE_LINGER_MS);
    this.flowUpdateNs = cfg.nanos(DetectionConfig.FLOW_UPDATE_INTERVAL_MS);
    this.maxHops = (int) Math.min(64, cfg.get(DetectionConfig.MAX_HOPS));
    this.minWindowNs = Math.min(oneWayNs, Math.min(stormNs, mtuNs));
  }

  /** Current event time of this instance (ns), Long.MIN_VALUE before any input. */
  public long now() {
    return now;
  }

  /** Counters: packets, duplicates, skipped records by reason, conversations, ... */
  public Map<String, Long> stats() {
    return Map.copyOf(stats);
  }

  private void count(String what) {
    stats.merge(what, 1L, Long::sum);
  }

  // ------------------------------------------------------------------------------------ intake

  /** Processes one packet summary. Bad records are counted and skipped, never thrown. */
  public void onPacket(PacketSummary p) {
    count("packets");
    long ts = p.getTsNanos();
    if (ts > now) {
      now = ts;
    }
    refreshInventory(false);
    if (p.getIpVersion() == 0 || p.getSrc() == null || p.getDst() == null || p.getProto() < 0) {
      count("skipped.NOT_IP");
      return;
    }
    String hop = hopId(p);
    registerHop(hop, p);
    IcmpInfo icmp = p.getIcmp();
    if (icmp != null && isIcmpError(p.getProto(), icmp.getType())) {
      onIcmpError(p, icmp, hop);
      return;
    }
    String src = Ip.canonical(p.getSrc());
    String dst = Ip.canonical(p.getDst());
    int sport = p.getSport();
    int dport = p.getDport();
    int proto = p.getProto();
    String key = FlowKey.key(proto, src, sport, dst, dport);
    Conversation c = load(key);
    if (c == null) {
      c = new Conversation();
      c.id = key;
      c.tuples.add(newTuple(key, p, src, dst));
      count("conversations");
    }
    int ti = c.tupleIndex(key);
    if (ti < 0) {
      c.tuples.add(newTuple(key, p, src, dst));
      ti = c.tuples.size() - 1;
    }
    TupleInfo t = c.tuples.get(ti);
    t.firstSeen = Math.min(t.firstSeen, ts);
    if (t.communityId == null && p.getCommunityId() != null) {
      t.communityId = p.getCommunityId();
    }
    reorient(c, t, p, src, sport);
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
    if (si >= 0) {
      HopSlot slot = c.slots.get(si);
      HopDir hd = slot.dir[d];
      if (hd.duplicate(fp, ts, dupNs)) {
        count("duplicates");
        return;
      }
      if (tcp != null) {
        int cls = TcpAnalyzer.analyze(hd, slot.dir[1 - d], tcp, payload, ts);
        if (payload > 0 || (flags & (TcpAnalyzer.SYN | TcpAnalyzer.FIN)) != 0) {
          hd.segWin.add(ts, stormNs, 1);
        }
        if (cls != TcpAnalyzer.NONE) {
          switch (cls) {
            case TcpAnalyzer.FAST_RETRANSMISSION -> hd.fastRetrans++;
            case TcpAnalyzer.SPURIOUS_RETRANSMISSION -> hd.spurious++;
            default -> hd.retrans++;
          }
          hd.retransWin.add(ts, stormNs, 1);
          if (p.getDf() && size >= mtuLarge) {
            hd.largeDfRetransWin.add(ts, mtuNs, 1);
          }
        }
      }
      hd.packets++;
      hd.bytes += Math.max(0, size);
      hd.firstTs = hd.firstTs < 0 ? ts : Math.min(hd.firstTs, ts);
      hd.lastTs = Math.max(hd.lastTs, ts);
      List<EncapLayer> encap = p.getEncap();
      if (!encap.isEmpty()) {
        EncapLayer l = encap.get(0);
        hd.encapType = StateCodes.encap(l.getType());
        hd.outerSrc = Ip.canonical(l.getOuterSrc());
        hd.outerDst = Ip.canonical(l.getOuterDst());
        hd.outerDport = l.getOuterDport();
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
          settleOldest(c);
        }
      }
    }

    // conversation level
    c.firstSeen = Conversation.minKnown(c.firstSeen, ts);
    c.lastSeen = Math.max(c.lastSeen, ts);
    c.dirty = true;
    int o = 1 - d;
    if (c.firstUnanswered[o] >= 0 && ts >= c.firstUnanswered[o]) {
      c.firstUnanswered[o] = -1;
      c.unanswered[o] = 0;
    }
    if (tcp != null) {
      tcpBookkeeping(c, d, flags, payload, ts);
    }
    if (isRequest(c, p, d, flags, payload)) {
      c.requested = true;
      boolean answered = c.lastDirTs[o] >= ts || c.lastIcmpTs >= ts;
      if (!answered) {
        if (c.firstUnanswered[d] < 0) {
          c.firstUnanswered[d] = ts;
        }
        if (firstSighting) {
          c.unanswered[d]++;
        }
      }
    }
    c.lastDirTs[d] = Math.max(c.lastDirTs[d], ts);
    DnsInfo dns = p.getDns();
    if (dns != null && proto == IpProto.UDP && (sport == 53 || dport == 53)) {
      onDns(c, dns, src, sport, dst, ts);
    }
    if (!p.getEncap().isEmpty()) {
      checkVtep(c, p, src, hop, ts);
    }
    if (fp != 0 && firstSighting) {
      c.natIndexed[d]++;
    }
    // the leading packets, and every packet of a flow key's first link window: the latter holds
    // the same packets under every tuple of a NAT-ed conversation whatever their arrival order
    if (fp != 0 && (c.natIndexed[d] <= natPackets || ts - t.firstSeen <= natNs)) {
      c = natLink(c, key, d, p, src, sport, dst, dport, fp, ts);
    }
    if (c.tuples.size() > 1) {
      c.orderTuples();
    }
    evaluate(c, evaluationTime(c), false);
    schedule(c, now);
    stores.conversations().put(c.id, c);
  }

  private void tcpBookkeeping(Conversation c, int d, int flags, int payload, long ts) {
    c.tcpFlags[d] |= flags;
    boolean syn = (flags & TcpAnalyzer.SYN) != 0;
    boolean ack = (flags & TcpAnalyzer.ACK) != 0;
    boolean rst = (flags & TcpAnalyzer.RST) != 0;
    boolean fin = (flags & TcpAnalyzer.FIN) != 0;
    StringBuilder letters = new StringBuilder();
    if (syn) {
      letters.append(ack ? 'H' : 'S');
    }
    if (payload > 0) {
      letters.append('D');
    }
    if (fin) {
      letters.append('F');
    }
    if (rst) {
      letters.append('R');
    }
    if (ack && !syn && !fin && !rst && payload == 0) {
      letters.append('A');
    }
    for (int i = 0; i < letters.length(); i++) {
      char ch = d == 0 ? letters.charAt(i) : Character.toLowerCase(letters.charAt(i));
      if (c.history.indexOf(ch) < 0) {
        c.history += ch;
      }
    }
    if (rst || ((c.tcpFlags[0] & TcpAnalyzer.FIN) != 0 && (c.tcpFlags[1] & TcpAnalyzer.FIN) != 0)) {
      c.closedTs = Math.max(c.closedTs, ts);
    }
    boolean initiatorSyn = (c.tcpFlags[0] & TcpAnalyzer.SYN) != 0;
    boolean responderSyn = (c.tcpFlags[1] & TcpAnalyzer.SYN) != 0;
    boolean responderRst = (c.tcpFlags[1] & TcpAnalyzer.RST) != 0;
    if (initiatorSyn && responderRst && !responderSyn && !c.rejected) {
      c.rejected = true;
      c.rejectReason = "TCP RST";
      c.firstUnanswered[0] = -1;
      c.unanswered[0] = 0;
    }
  }

  private boolean tunnelFlow(Conversation c) {
    TupleInfo t = c.first();
    return t.proto == IpProto.UDP && (neverPorts.contains(t.sport) || neverPorts.contains(t.dport));
  }

  private boolean isRequest(Conversation c, PacketSummary p, int d, int flags, int payload) {
    if (tunnelFlow(c)) {
      return false;
    }
    int proto = p.getProto();
    if (proto == IpProto.TCP) {
      boolean syn = (flags & TcpAnalyzer.SYN) != 0;
      boolean ack = (flags & TcpAnalyzer.ACK) != 0;
      boolean rst = (flags & TcpAnalyzer.RST) != 0;
      return (syn && !ack) || (payload > 0 && !rst);
    }
    if (IpProto.isIcmp(proto)) {
      IcmpInfo i = p.getIcmp();
      return i != null && (i.getType() == 8 || i.getType() == 128);
    }
    if (proto == IpProto.UDP) {
      if (c.dnsFlow && !onewayDns) {
        return false;
      }
      if (p.getDns() != null && (p.getSport() == 53 || p.getDport() == 53) && !onewayDns) {
        return false;
      }
      return requestPorts.contains(p.getDport()) || c.lastDirTs[1 - d] >= 0;
    }
    return false;
  }

  private TupleInfo newTuple(String key, PacketSummary p, String src, String dst) {
    TupleInfo t = new TupleInfo();
    t.key = key;
    t.ipVersion = p.getIpVersion();
    t.proto = p.getProto();
    t.firstSeen = p.getTsNanos();
    t.communityId = p.getCommunityId();
    int signal = initiatorSignal(p);
    boolean senderInitiates;
    if (signal != 0) {
      senderInitiates = signal > 0;
      t.certain = true;
    } else {
      int sp = p.getSport();
      int dp = p.getDport();
      if (p.getProto() == IpProto.UDP && requestPorts.contains(dp)) {
        senderInitiates = true;
      } else if (p.getProto() == IpProto.UDP && requestPorts.contains(sp)) {
        senderInitiates = false;
      } else if (dp >= 0 && sp >= 0 && dp < 1024 && sp >= 1024) {
        senderInitiates = true;
      } else if (dp >= 0 && sp >= 0 && sp < 1024 && dp >= 1024) {
        senderInitiates = false;
      } else {
        senderInitiates = dp <= sp || dp < 0;
      }
    }
    if (senderInitiates) {
      t.src = src;
      t.sport = p.getSport();
      t.dst = dst;
      t.dport = p.getDport();
    } else {
      t.src = dst;
      t.sport = p.getDport();
      t.dst = src;
      t.dport = p.getSport();
    }
    return t;
  }

  /** +1: the sender initiated, -1: the receiver did, 0: no clear signal. */
  private static int initiatorSignal(PacketSummary p) {
    TcpInfo tcp = p.getTcp();
    if (tcp != null && (tcp.getFlags() & TcpAnalyzer.SYN) != 0) {
      return (tcp.getFlags() & TcpAnalyzer.ACK) != 0 ? -1 : 1;
    }
    IcmpInfo i = p.getIcmp();
    if (i != null) {
      if (i.getType() == 8 || i.getType() == 128) {
        return 1;
      }
      if (i.getType() == 0 || i.getType() == 129) {
        return -1;
      }
    }
    return 0;
  }

  private void reorient(Conversation c, TupleInfo t, PacketSummary p, String src, int sport) {
    if (t.certain || c.tuples.size() != 1) {
      return;
    }
    int signal = initiatorSignal(p);
    if (signal == 0) {
      return;
    }
    boolean senderIsInitiator = t.dirOf(src, sport) == 0;
    if ((signal > 0) != senderIsInitiator) {
      c.flip();
      count("reoriented");
    }
    t.certain = true;
  }

  private static boolean isIcmpError(int proto, int type) {
    return FlowKey.keyedByQuotedFlow(proto, type);
  }

  private static Pending findPending(Conversation c, long fp, int d) {
    for (Pending p : c.pending) {
      if (p.fp == fp && p.dir == d) {
        return p;
      }
    }
    return null;
  }

  private String hopId(PacketSummary p) {
    return HopId.format(p.getNode(), p.getPod(), p.getIface());
  }

  private void loadHops() {
    if (hopsLoaded) {
      return;
    }
    hopsLoaded = true;
    stores.hops().forEach((k, h) -> addKnownHop(h));
  }

  private void addKnownHop(HopInfo h) {
    if (knownHops.add(h.hop())) {
      hopsByNode.computeIfAbsent(h.node(), n -> new ArrayList<>()).add(h);
    }
  }

  private void registerHop(String hop, PacketSummary p) {
    loadHops();
    if (!knownHops.contains(hop)) {
      HopInfo h = new HopInfo(hop, p.getNode(), p.getPod(), p.getRole());
      stores.hops().put(hop, h);
      addKnownHop(h);
    }
  }

  private List<HopInfo> hopsOf(String node) {
    loadHops();
    return hopsByNode.get(node);
  }

  private void refreshInventory(boolean force) {
    if (!force && inventoryCheckedAt != Long.MIN_VALUE && now - inventoryCheckedAt < SECOND) {
      return;
    }
    inventoryCheckedAt = now;
    Iterable<io.hoptrace.schema.NodeInventory> nodes = inventorySource.nodes();
    if (InventoryIndex.signatureOf(nodes) != inventory.signature()) {
      inventory = new InventoryIndex(nodes);
      inventoryUnchecked = true;
    }
    if (inventoryUnchecked && !force) {
      inventoryFindings();
    }
  }

  private Conversation load(String key) {
    String id = stores.aliases().get(key);
    return stores.conversations().get(id != null ? id : key);
  }

  /**
   * When a packet arrives, its conversation is judged at event time, but at most the lateness past
   * its latest packet: a host's clock (e.g. the wall clock extrapolating event time while the job
   * lags behind its input) can run ahead of packets that are still queued; judging them there would
   * count them out of every window (a storm of retransmissions never reaching its threshold) and
   * make the verdict depend on how far the clock ran ahead, not on the input.
   */
  private long evaluationTime(Conversation c) {
    return Math.min(now, Math.max(c.lastSeen, c.firstSeen) + latenessNs);
  }

  // ------------------------------------------------------------------------------------ ICMP

  private void onIcmpError(PacketSummary p, IcmpInfo icmp, String hop) {
    FiveTuple q = FlowKey.quotedFlow(icmp);
    if (q == null) {
      count("skipped.ICMP_WITHOUT_QUOTE");
      return;
    }
    long ts = p.getTsNanos();
    String qsrc = Ip.canonical(q.getSrc());
    String qdst = Ip.canonical(q.getDst());
    String key = FlowKey.key(q.getProto(), qsrc, q.getSport(), qdst, q.getDport());
    Conversation c = load(key);
    if (c == null) {
      c = new Conversation();
      c.id = key;
      TupleInfo t = new TupleInfo();
      t.key = key;
      t.ipVersion = q.getIpVersion();
      t.proto = q.getProto();
      t.src = qsrc;
      t.sport = q.getSport();
      t.dst = qdst;
      t.dport = q.getDport();
      t.firstSeen = ts;
      c.tuples.add(t);
      c.firstSeen = ts;
      c.lastSeen = ts;
      count("conversations");
    }
    long fp =
        p.getFingerprint() != 0
            ? p.getFingerprint()
            : Arrays.hashCode(new long[] {ts / 1_000_000L, icmp.getType(), icmp.getCode()});
    for (long seen : c.icmpRing) {
      if (seen == fp) {
        count("duplicates");
        return;
      }
    }
    c.icmpRing[c.icmpPos] = fp;
    c.icmpPos = (c.icmpPos + 1) % c.icmpRing.length;
    c.icmpErrors++;
    c.lastIcmpTs = Math.max(c.lastIcmpTs, ts);
    c.firstUnanswered[0] = -1;
    c.firstUnanswered[1] = -1;
    c.unanswered[0] = 0;
    c.unanswered[1] = 0;
    c.lastSeen = Math.max(c.lastSeen, ts);
    c.dirty = true;
    int v = p.getIpVersion();
    int type = icmp.getType();
    int code = icmp.getCode();
    boolean portUnreach = (v == 4 && type == 3 && code == 3) || (v == 6 && type == 1 && code == 4);
    boolean tooBig = (v == 4 && type == 3 && code == 4) || (v == 6 && type == 2);
    if (portUnreach) {
      c.rejected = true;
      c.rejectReason = "ICMP port unreachable";
    } else if (tooBig) {
      c.icmpMtu = icmp.getMtu();
      c.icmpMtuTs = ts;
      c.icmpReporter = Ip.canonical(p.getSrc());
    } else {
      c.unreachable = true;
    }
    String reporter = Ip.canonical(p.getSrc());
    FiveTuple outer = icmp.getQuoted();
    String target = outer != null ? Ip.canonical(outer.getDst()) : qdst;
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
    facts.put("hop", hop);
    if (underlay) {
      facts.put("underlay", "true");
    }
    AlertSubject subject =
        AlertSubject.newBuilder()
            .setKind("REPORTER")
            .setSrc(reporter)
            .setDst(target)
            .setProto(outer != null ? outer.getProto() : q.getProto())
            .setDport(outer != null ? outer.getDport() : q.getDport())
            .setNode(p.getNode())
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
    TupleInfo qt = c.tuple(key);
    io.hoptrace.schema.LostAt lostAt =
        portUnreach || qt == null
            ? null
            : icmpLostAt(c, qt.dirOf(qsrc, q.getSport()), reporter, target);
    Alert a =
        Alerts.build(
            AlertType.ICMP_UNREACHABLE,
            AlertStatus.FIRING,
            subject,
            lostAt,
            1,
            hint,
            ts,
            ts,
            List.of(hop),
            List.of(),
            counts,
            facts,
            Alerts.communityIds(c));
    out.finding(new Finding(aggKey, Finding.Kind.EVENT, c.id, a));
    evaluate(c, evaluationTime(c), false);
    schedule(c, now);
    stores.conversations().put(c.id, c);
  }

  /**
   * Where the packet an ICMP error is about died, when a hop on the way (not the target's node)
   * reports it: between the last expected hop before the target's node and that node's first hop.
   * For an underlay error the target is the outer destination (the peer's VTEP), so the segment is
   * the underlay between the two nodes. Null when the target's node reported it (it arrived) or the
   * target belongs to no known node.
   */
  private io.hoptrace.schema.LostAt icmpLostAt(
      Conversation c, int d, String reporter, String target) {
    String targetNode = inventory.ownerOf(target);
    if (targetNode == null || targetNode.equals(inventory.ownerOf(reporter))) {
      return null;
    }
    List<PathPlanner.PathHop> path = planner().plan(c, d);
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

  // ------------------------------------------------------------------------------------ DNS

  private void onDns(Conversation c, DnsInfo dns, String src, int sport, String dst, long ts) {
    c.dnsFlow = true;
    DnsQuery q = null;
    for (DnsQuery x : c.dns) {
      if (x.id == dns.getId()) {
        q = x;
        break;
      }
    }
    String resolver = sport == 53 ? src : dst;
    String client = sport == 53 ? dst : src;
    if (!dns.getQr()) {
      if (q == null) {
        c.dns.add(new DnsQuery(dns.getId(), ts, DnsQuery.PENDING));
        trimDns(c);
      }
      return;
    }
    int rcode = dns.getRcode();
    boolean error = rcode == 2 || rcode == 5;
    if (q == null) {
      c.dns.add(new DnsQuery(dns.getId(), ts, error ? DnsQuery.FAILED : DnsQuery.ANSWERED));
      trimDns(c);
    } else if (q.state == DnsQuery.PENDING) {
      q.state = error ? DnsQuery.FAILED : DnsQuery.ANSWERED;
    } else {
      return; // the same answer seen on another hop
    }
    if (error) {
      dnsFinding(c, resolver, client, rcode == 2 ? "servfail" : "refused", ts);
    }
  }

  private void trimDns(Conversation c) {
    while (c.dns.size() > 64) {
      int victim = 0;
      for (int i = 0; i < c.dns.size(); i++) {
        if (c.dns.get(i).state != DnsQuery.PENDING) {
          victim = i;
          break;
        }
      }
      c.dns.remove(victim);
    }
  }

  private void dnsFinding(Conversation c, String resolver, String client, String what, long ts) {
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put(what, 1L);
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("resolver", resolver);
    facts.put("client", client);
    facts.put("failure", what);
    AlertSubject subject =
        AlertSubject.newBuilder()
            .setKind("RESOLVER")
            .setDst(resolver)
            .setProto(IpProto.UDP)
            .setDport(53)
            .build();
    Alert a =
        Alerts.build(
            AlertType.DNS_FAILURE,
            AlertStatus.FIRING,
            subject,
            null,
            1,
            "",
            ts,
            ts,
            List.of(),
            List.of(),
            counts,
            facts,
            Alerts.communityIds(c));
    out.finding(new Finding("DNS|" + resolver, Finding.Kind.EVENT, client, a));
  }

  private void dnsTimeouts(Conversation c, long t) {
    if (c.dns.isEmpty()) {
      return;
    }
    TupleInfo first = c.first();
    String resolver = first.dport == 53 ? first.dst : first.src;
    String client = first.dport == 53 ? first.src : first.dst;
    for (DnsQuery q : c.dns) {
      if (q.state == DnsQuery.PENDING && t - q.ts >= dnsTimeoutNs) {
        q.state = DnsQuery.FAILED;
        dnsFinding(c, resolver, client, "unanswered", q.ts + dnsTimeoutNs);
      }
    }
    c.dns.removeIf(q -> q.state != DnsQuery.PENDING && t - q.ts > dnsWindowNs);
  }

  // ------------------------------------------------------------------------------------ VTEP

  private void checkVtep(Conversation c, PacketSummary p, String innerSrc, String hop, long ts) {
    if (!inventory.knowsVteps()) {
      return;
    }
    EncapLayer l = p.getEncap().get(0);
    String oSrc = Ip.canonical(l.getOuterSrc());
    String oDst = Ip.canonical(l.getOuterDst());
    String sender = inventory.ownerOf(innerSrc);
    if (sender == null) {
      sender = inventory.ownerOf(oSrc);
    }
    if (sender == null && p.getDirection() == CaptureDirection.OUTBOUND) {
      sender = p.getNode();
    }
    boolean atSender = sender == null || sender.equals(p.getNode()) || hopsOf(sender) == null;
    if (!atSender) {
      return;
    }
    boolean udpTunnel = l.getType() == EncapType.VXLAN || l.getType() == EncapType.GENEVE;
    if (udpTunnel) {
      List<String> claim = inventory.vtepClaimants(oDst);
      if (claim.isEmpty() && !inventory.isVtepNodeAddress(oDst)) {
        note(c, VtepNote.UNKNOWN_DST, oSrc, oDst, l.getOuterDport(), sender, null, "", hop, ts);
      } else if (claim.size() > 1) {
        note(
            c,
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
              c,
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
      note(c, VtepNote.UNKNOWN_DST, oSrc, oDst, -1, sender, null, "", hop, ts);
    }
  }

  private void note(
      Conversation c,
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
    for (VtepNote x : c.vtep) {
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
      c.vtep.add(n);
    }
    n.lastTs = Math.max(n.lastTs, ts);
    n.unreported++;
  }

  private void flushVtep(Conversation c, long t, boolean all) {
    for (VtepNote n : c.vtep) {
      if (n.unreported > 0 && (all || n.lastReport < 0 || t - n.lastReport >= SECOND)) {
        out.finding(vtepFinding(c, n));
        n.unreported = 0;
        n.lastReport = t;
      }
    }
  }

  private Finding vtepFinding(Conversation c, VtepNote n) {
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
    io.hoptrace.schema.LostAt lostAt = null;
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
      lostAt = lostAfterHop(c, encapDirection(c, n), n.hop);
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
    return new Finding(n.aggregateKey(), Finding.Kind.EVENT, c.id, a);
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
  private io.hoptrace.schema.LostAt lostAfterHop(Conversation c, int d, String hop) {
    if (d < 0) {
      return null;
    }
    List<PathPlanner.PathHop> path = planner().plan(c, d);
    for (int i = 0; i + 1 < path.size(); i++) {
      if (path.get(i).hop().equals(hop)) {
        return Alerts.lostAt(hop, path.get(i + 1).hop(), d);
      }
    }
    return null;
  }

  /**
   * Checks the inventory itself: VTEP addresses claimed by several nodes, FDB entries pointing to
   * no node's VTEP. Emits state findings when that changes (also done when a packet or {@link
   * #advanceTo} finds the inventory changed). Before any event time is known the findings wait for
   * it, so that they carry event time. Findings of several tasks about one inventory are identical
   * state findings, which stage 2 deduplicates.
   */
  public void checkInventory() {
    refreshInventory(true);
    inventoryUnchecked = true;
    inventoryFindings();
  }

  private void inventoryFindings() {
    if (now == Long.MIN_VALUE) {
      return;
    }
    inventoryUnchecked = false;
    long t = now;
    Map<String, Alert> current = new TreeMap<>();
    inventory
        .duplicateVtepClaims()
        .forEach(
            (addr, claim) -> {
              Map<String, String> facts = new LinkedHashMap<>();
              facts.put("kind", "duplicate-vtep");
              facts.put("claimants", String.join(",", claim));
              AlertSubject s =
                  AlertSubject.newBuilder().setKind("VTEP").setVtep(addr).setDst(addr).build();
              current.put(
                  inventoryEntry("VTEP|dup|" + addr, "inventory"),
                  Alerts.build(
                      AlertType.VTEP_MISMATCH,
                      AlertStatus.FIRING,
                      s,
                      null,
                      claim.size(),
                      addr
                          + " is claimed as VTEP address by "
                          + String.join(", ", claim)
                          + ": the VTEPs registered a non-unique (e.g. NAT-only) address; set the"
                          + " tunnel interface/public IP explicitly",
                      t,
                      t,
                      List.of(),
                      List.of(),
                      Map.of("claimants", (long) claim.size()),
                      facts,
                      List.of()));
            });
    for (InventoryIndex.BadFdb f : inventory.badFdbEntries()) {
      Map<String, String> facts = new LinkedHashMap<>();
      facts.put("kind", "bad-fdb");
      facts.put("device", f.device());
      facts.put("mac", f.mac());
      AlertSubject s =
          AlertSubject.newBuilder()
              .setKind("VTEP")
              .setNode(f.node())
              .setVtep(f.dst())
              .setDst(f.dst())
              .build();
      // the subject of traffic encapsulated to that address (VtepNote.UNKNOWN_DST): one alert
      current.put(
          inventoryEntry("VTEP|dst|" + f.dst(), "inventory|" + f.node() + "|" + f.device()),
          Alerts.build(
              AlertType.VTEP_MISMATCH,
              AlertStatus.FIRING,
              s,
              null,
              1,
              "FDB/neighbour entry of "
                  + f.device()
                  + " on "
                  + f.node()
                  + " points to "
                  + f.dst()
                  + " (MAC "
                  + f.mac()
                  + "), which is no node's VTEP address",
              t,
              t,
              List.of(),
              List.of(),
              Map.of(),
              facts,
              List.of()));
    }
    String before = stores.aliases().get(INVENTORY_FINDINGS);
    Set<String> previous = new LinkedHashSet<>();
    if (before != null && !before.isEmpty()) {
      previous.addAll(Arrays.asList(before.split("\n")));
    }
    for (Map.Entry<String, Alert> e : current.entrySet()) {
      if (!previous.contains(e.getKey())) {
        String[] km = inventoryKeyAndMember(e.getKey());
        out.finding(new Finding(km[0], Finding.Kind.STATE, km[1], e.getValue()));
      }
    }
    for (String entry : previous) {
      if (!current.containsKey(entry)) {
        String[] km = inventoryKeyAndMember(entry);
        Alert gone =
            Alerts.build(
                AlertType.VTEP_MISMATCH,
                AlertStatus.RESOLVED,
                AlertSubject.newBuilder().setKind("VTEP").build(),
                null,
                0,
                "",
                t,
                t,
                List.of(),
                List.of(),
                Map.of(),
                Map.of(),
                List.of());
        out.finding(new Finding(km[0], Finding.Kind.STATE, km[1], gone));
      }
    }
    if (!previous.equals(current.keySet())) {
      stores.aliases().put(INVENTORY_FINDINGS, String.join("\n", current.keySet()));
    }
  }

  /** An inventory finding as remembered between checks: its subject key and its member. */
  private static String inventoryEntry(String key, String member) {
    return key + "\t" + member;
  }

  private static String[] inventoryKeyAndMember(String entry) {
    int tab = entry.indexOf('\t');
    return tab < 0
        ? new String[] {entry, "inventory"}
        : new String[] {entry.substring(0, tab), entry.substring(tab + 1)};
  }

  // ------------------------------------------------------------------------------------ NAT

  private static long fpKey(long fp, String node) {
    return fp * 0x9E3779B97F4A7C15L ^ node.hashCode();
  }

  private Conversation natLink(
      Conversation c,
      String key,
      int d,
      PacketSummary p,
      String src,
      int sport,
      String dst,
      int dport,
      long fp,
      long ts) {
    long k = fpKey(fp, p.getNode());
    FingerprintEntry e = stores.fingerprints().get(k);
    boolean aToB = FlowKey.isAtoB(src, sport, dst, dport);
    Conversation result = c;
    if (e != null
        && !e.flowKey().equals(key)
        && e.node().equals(p.getNode())
        && Math.abs(ts - e.ts()) <= natNs) {
      Conversation other = load(e.flowKey());
      if (other != null && !other.id.equals(c.id)) {
        TupleInfo ot = other.tuple(e.flowKey());
        if (ot != null && ot.proto == c.first().proto) {
          int od = e.aToB() == ot.initiatorIsA() ? 0 : 1;
          result = link(c, other, d != od);
        }
      }
    }
    stores.fingerprints().put(k, new FingerprintEntry(key, p.getNode(), ts, aToB));
    return result;
  }

  /**
   * Merges two conversations found to be one (NAT). The one holding the upstream tuple (the
   * initiator's side) is kept, with its id and orientation: decided from what the hops saw, so the
   * result is the same whichever tuple's packets arrived first.
   */
  private Conversation link(Conversation a, Conversation b, boolean opposite) {
    if (opposite) {
      b.flip();
    }
    a.orderTuples();
    b.orderTuples();
    boolean aFirst = Conversation.upstream(a, 0, b, 0);
    Conversation keep = aFirst ? a : b;
    Conversation gone = aFirst ? b : a;
    boolean restore = opposite && !aFirst;
    for (int k = 0; k < gone.alerts.length; k++) {
      FlowAlert fa = gone.alerts[k];
      if (fa.active) {
        Alert r = resolvedAlert(gone, k, "merged into " + keep.id);
        out.finding(new Finding(fa.reportedKey, Finding.Kind.STATE, gone.id, r));
        fa.active = false;
      }
    }
    flushVtep(gone, now, true);
    keep.absorb(gone, maxHops);
    if (restore) {
      keep.flip(); // b was turned to a's orientation; b is kept, with its own
    }
    keep.orderTuples();
    for (TupleInfo t : keep.tuples) {
      if (!t.key.equals(keep.id)) {
        stores.aliases().put(t.key, keep.id);
      }
    }
    stores.conversations().delete(gone.id);
    stores.deadlines().delete(gone.id, gone.deadline);
    count("nat.links");
    return keep;
  }

  private static AlertType typeOf(int k) {
    return switch (k) {
      case Conversation.ONE_WAY -> AlertType.ONE_WAY;
      case Conversation.STORM -> AlertType.RETRANSMISSION_STORM;
      default -> AlertType.MTU_BLACKHOLE;
    };
  }

  private Alert resolvedAlert(Conversation c, int k, String reason) {
    FlowAlert fa = c.alerts[k];
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("resolvedBy", reason);
    facts.put("flow", c.first().text());
    return Alerts.build(
        typeOf(k),
        AlertStatus.RESOLVED,
        Alerts.flowSubject(c),
        null,
        fa.reportedCount,
        "",
        fa.firstSeen,
        Math.max(c.lastSeen, fa.firstSeen),
        List.of(),
        List.of(),
        Map.of(),
        facts,
        Alerts.communityIds(c));
  }

  // ------------------------------------------------------------------------------------ time

  /**
   * Advances event time (e.g. from a punctuation) and processes every conversation whose next
   * deadline has passed: matches that settled, timeouts, expiry. Each conversation is stepped
   * through its own deadlines, so a large jump (end of input) gives the same result as a slow
   * clock.
   */
  public void advanceTo(long nowNanos) {
    if (nowNanos > now) {
      now = nowNanos;
    }
    if (now == Long.MIN_VALUE) {
      return;
    }
    refreshInventory(false);
    List<Map.Entry<String, Long>> due = new ArrayList<>();
    long limit = now;
    stores
        .deadlines()
        .forEachDue(
            limit,
            (id, dl) -> {
              if (dl <= limit) {
                due.add(Map.entry(id, dl));
              }
            });
    due.sort(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()));
    for (Map.Entry<String, Long> e : due) {
      Conversation c = stores.conversations().get(e.getKey());
      if (c == null) {
        stores.deadlines().delete(e.getKey(), e.getValue());
        continue;
      }
      boolean expired = false;
      for (int i = 0; i < 64 && c.deadline <= now && !expired; i++) {
        long t = Math.max(c.deadline, c.lastSeen);
        t = Math.min(t, now);
        expired = step(c, t);
      }
      if (!expired) {
        stores.conversations().put(c.id, c);
      }
    }
    if (lastSweep == Long.MIN_VALUE || now - lastSweep >= 20 * natNs) {
      lastSweep = now;
      List<Long> old = new ArrayList<>();
      // a sighting under the other tuple may still arrive up to the lateness later
      long horizon = now - latenessNs - 2 * natNs;
      stores
          .fingerprints()
          .forEach(
              (k, v) -> {
                if (v.ts() < horizon) {
                  old.add(k);
                }
              });
      old.forEach(stores.fingerprints()::delete);
    }
  }

  /** End of input: every conversation ends, every window is flushed. */
  public void flush() {
    if (now == Long.MIN_VALUE) {
      return;
    }
    advanceTo(now + 4 * (idleNs + oneWayNs + stormNs + mtuNs + dnsWindowNs + latenessNs));
  }

  private long expiryOf(Conversation c) {
    if (c.closedTs >= 0) {
      return Math.max(c.lastSeen, c.closedTs) + lingerNs;
    }
    return c.lastSeen + idleNs;
  }

  private boolean step(Conversation c, long t) {
    boolean fin = t >= expiryOf(c);
    evaluate(c, t, fin);
    if (fin) {
      expire(c, t);
      return true;
    }
    schedule(c, t);
    return false;
  }

  private void expire(Conversation c, long t) {
    for (int k = 0; k < c.alerts.length; k++) {
      FlowAlert fa = c.alerts[k];
      if (fa.active) {
        out.finding(
            new Finding(fa.reportedKey, Finding.Kind.STATE, c.id, resolvedAlert(c, k, "expired")));
        fa.active = false;
      }
    }
    for (TupleInfo tu : c.tuples) {
      if (!tu.key.equals(c.id)) {
        stores.aliases().delete(tu.key);
      }
    }
    stores.conversations().delete(c.id);
    stores.deadlines().delete(c.id, c.deadline);
    count("conversations.ended");
  }

  private void schedule(Conversation c, long t) {
    long dl = expiryOf(c);
    for (Pending p : c.pending) {
      dl = Math.min(dl, p.firstTs + latenessNs);
    }
    for (int d = 0; d < 2; d++) {
      if (c.firstUnanswered[d] >= 0 && !c.alerts[Conversation.ONE_WAY].active) {
        dl = Math.min(dl, c.firstUnanswered[d] + oneWayNs);
      }
    }
    for (DnsQuery q : c.dns) {
      if (q.state == DnsQuery.PENDING) {
        dl = Math.min(dl, q.ts + dnsTimeoutNs);
      }
    }
    if (c.dirty) {
      dl = Math.min(dl, Math.max(c.lastFlowEmit, c.firstSeen) + flowUpdateNs);
    }
    boolean windowed = false;
    for (FlowAlert fa : c.alerts) {
      windowed |= fa.active;
    }
    for (VtepNote n : c.vtep) {
      if (n.unreported > 0) {
        dl = Math.min(dl, n.lastReport < 0 ? t : n.lastReport + SECOND);
      }
    }
    if (windowed || c.loss[0].lost.cur > 0 || c.loss[1].lost.cur > 0) {
      dl = Math.min(dl, (Math.floorDiv(t, minWindowNs) + 1) * minWindowNs);
    }
    dl = Math.max(dl, t + 1);
    if (dl != c.deadline) {
      stores.deadlines().move(c.id, c.deadline, dl);
      c.deadline = dl;
    }
  }

  // ------------------------------------------------------------------------------------ verdicts

  private void settleOldest(Conversation c) {
    Pending oldest = c.pending.get(0);
    for (Pending p : c.pending) {
      if (p.firstTs < oldest.firstTs) {
        oldest = p;
      }
    }
    c.pending.remove(oldest);
    settle(c, List.of(oldest), true);
    count("pending.early");
  }

  private PathPlanner planner() {
    return new PathPlanner(inventory, this::hopsOf);
  }

  /** Decides for settled packets the last hop that saw them and the first that did not. */
  private void settle(Conversation c, List<Pending> done, boolean deliveredOnly) {
    List<PathPlanner.PathHop>[] paths = new List[2];
    PathPlanner planner = planner();
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
        dl.delivered.add(e.firstTs, minWindowNs, 1);
        if (e.size < mtuLarge) {
          dl.deliveredSmall.add(e.firstTs, mtuNs, 1);
        }
        dl.maxDeliveredSize = Math.max(dl.maxDeliveredSize, e.size);
      } else if (!deliveredOnly) {
        dl.lost.add(e.firstTs, minWindowNs, 1);
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

  private void evaluate(Conversation c, long t, boolean fin) {
    if (!c.pending.isEmpty()) {
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
    dnsTimeouts(c, fin ? Math.max(t, c.lastSeen + dnsTimeoutNs) : t);
    flushVtep(c, t, fin);
    if (evalMtu(c, t)) {
      c.explainedUntil = Math.max(c.explainedUntil, t);
    }
    for (VtepNote n : c.vtep) {
      if (n.kind != VtepNote.WRONG_SRC) {
        c.explainedUntil = Math.max(c.explainedUntil, n.lastTs);
      }
    }
    long ex = c.explainedUntil;
    boolean explained =
        ex >= 0
            && (t - ex < 2 * oneWayNs
                || (c.firstUnanswered[0] >= 0 && c.firstUnanswered[0] <= ex)
                || (c.firstUnanswered[1] >= 0 && c.firstUnanswered[1] <= ex));
    evalOneWay(c, t, explained);
    evalStorm(c, t, ex >= 0 && t - ex < 2 * stormNs);
    if (fin || (c.dirty && t - Math.max(c.lastFlowEmit, c.firstSeen) >= flowUpdateNs)) {
      out.flow(FlowRecords.build(c, planner(), verdict(c), fin));
      c.lastFlowEmit = t;
      c.dirty = false;
    }
  }

  private String verdict(Conversation c) {
    if (c.rejected) {
      return "REJECTED";
    }
    if (c.alerts[Conversation.ONE_WAY].active) {
      return "ONE_WAY";
    }
    if (c.alerts[Conversation.MTU].active) {
      return "MTU_BLACKHOLE";
    }
    if (c.unreachable) {
      return "UNREACHABLE";
    }
    if (c.alerts[Conversation.STORM].active || c.loss[0].totalLost > 0 || c.loss[1].totalLost > 0) {
      return "LOSSY";
    }
    return "OK";
  }

  private void report(
      Conversation c,
      int k,
      boolean active,
      String aggKey,
      long t,
      java.util.function.Supplier<Alert> details) {
    FlowAlert fa = c.alerts[k];
    if (active) {
      if (!fa.active) {
        Alert a = details.get();
        fa.active = true;
        fa.firstSeen = t;
        fa.reportedKey = aggKey;
        fa.reportedCount = a.getCount();
        fa.lastReport = t;
        a.setFirstSeen(t);
        a.setLastSeen(Math.max(t, c.lastSeen));
        out.finding(new Finding(aggKey, Finding.Kind.STATE, c.id, a));
      } else if (t - fa.lastReport >= SECOND) {
        Alert a = details.get();
        if (a.getCount() != fa.reportedCount) {
          fa.reportedCount = a.getCount();
          fa.lastReport = t;
          a.setFirstSeen(fa.firstSeen);
          a.setLastSeen(Math.max(t, c.lastSeen));
          out.finding(new Finding(fa.reportedKey, Finding.Kind.STATE, c.id, a));
        }
      }
    } else if (fa.active) {
      fa.active = false;
      out.finding(
          new Finding(fa.reportedKey, Finding.Kind.STATE, c.id, resolvedAlert(c, k, "cleared")));
    }
  }

  private List<String> hopsSeen(Conversation c, List<PathPlanner.PathHop> path, int d) {
    List<String> seen = new ArrayList<>();
    for (PathPlanner.PathHop h : path) {
      if (h.slot() >= 0 && c.slots.get(h.slot()).dir[d].packets > 0) {
        seen.add(h.hop());
      }
    }
    return seen;
  }

  private static List<String> hopsAfter(List<PathPlanner.PathHop> path, String after) {
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

  private void evalOneWay(Conversation c, long t, boolean suppressed) {
    boolean eligible = !suppressed && !c.rejected && !tunnelFlow(c) && !(c.dnsFlow && !onewayDns);
    boolean[] noReply = new boolean[2];
    boolean[] lostAll = new boolean[2];
    for (int d = 0; d < 2; d++) {
      noReply[d] = c.firstUnanswered[d] >= 0 && t - c.firstUnanswered[d] >= oneWayNs;
      DirLoss dl = c.loss[d];
      lostAll[d] =
          c.requested
              && dl.lost.sum(t, minWindowNs) >= oneWayMinLost
              && dl.delivered.sum(t, minWindowNs) == 0;
    }
    // localised loss decides before the window ends, once answers had time to arrive; ICMP
    // errors about the flow are answers (ICMP_UNREACHABLE covers them)
    boolean icmpAnswered = c.lastIcmpTs >= 0 && t - c.lastIcmpTs < oneWayNs;
    boolean fwdLost =
        lostAll[0]
            && !icmpAnswered
            && c.firstUnanswered[0] >= 0
            && t - c.firstUnanswered[0] >= latenessNs;
    boolean revLost = lostAll[1] && !icmpAnswered && c.lastDirTs[0] >= 0;
    boolean active = eligible && (noReply[0] || noReply[1] || fwdLost || revLost);
    int dir = fwdLost ? 0 : revLost ? 1 : noReply[0] ? 0 : 1;
    report(
        c,
        Conversation.ONE_WAY,
        active,
        "ONE_WAY|" + c.id,
        t,
        () -> oneWayAlert(c, t, dir, (dir == 0 ? fwdLost : revLost)));
  }

  private Alert oneWayAlert(Conversation c, long t, int d, boolean lost) {
    List<PathPlanner.PathHop> path = planner().plan(c, d);
    DirLoss dl = c.loss[d];
    String after;
    String before;
    if (lost || (dl.lastLostTs >= 0 && t - dl.lastLostTs <= 2 * oneWayNs)) {
      after = dl.lostAfter;
      before = dl.lostBefore;
    } else {
      after = dl.lastHop != null ? dl.lastHop : lastObserved(c, d);
      before = null;
    }
    String hint = Hints.lostAt(c, d, after, before, path, inventory);
    long count = c.unanswered[d] + dl.lost.sum(t, minWindowNs);
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("unansweredRequests", c.unanswered[0]);
    counts.put("lostForward", c.loss[0].lost.sum(t, minWindowNs));
    counts.put("deliveredForward", c.loss[0].delivered.sum(t, minWindowNs));
    counts.put("lostReverse", c.loss[1].lost.sum(t, minWindowNs));
    counts.put("deliveredReverse", c.loss[1].delivered.sum(t, minWindowNs));
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("direction", d == 0 ? "forward" : "reverse");
    facts.put("flow", c.first().text());
    if (c.tuples.size() > 1) {
      facts.put("tuples", String.valueOf(c.tuples.size()));
    }
    return Alerts.build(
        AlertType.ONE_WAY,
        AlertStatus.FIRING,
        Alerts.flowSubject(c),
        Alerts.lostAt(after, before, d),
        Math.max(1, count),
        hint,
        t,
        t,
        hopsSeen(c, path, d),
        before == null ? List.of() : hopsAfter(path, after),
        counts,
        facts,
        Alerts.communityIds(c));
  }

  private static String lastObserved(Conversation c, int d) {
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

  private void evalStorm(Conversation c, long t, boolean suppressed) {
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
        long r = h.retransWin.sum(t, stormNs);
        long s = h.segWin.sum(t, stormNs);
        if (r >= stormMin && r >= stormRatio * s && r > bestR) {
          bestR = r;
          bestS = s;
          bestSlot = i;
          bestDir = d;
        }
      }
    }
    boolean active = !suppressed && bestSlot >= 0;
    TupleInfo f = c.first();
    int d = bestDir;
    String dest = d == 0 ? f.dst : f.src;
    String key =
        c.alerts[Conversation.STORM].active
            ? c.alerts[Conversation.STORM].reportedKey
            : "STORM|" + dest;
    int slot = bestSlot;
    long r = bestR;
    long s = bestS;
    report(c, Conversation.STORM, active, key, t, () -> stormAlert(c, t, slot, d, r, s, dest));
  }

  private Alert stormAlert(Conversation c, long t, int slot, int d, long r, long s, String dest) {
    HopSlot h = c.slots.get(slot);
    HopDir hd = h.dir[d];
    DirLoss dl = c.loss[d];
    boolean localised = dl.lastLostTs >= 0 && t - dl.lastLostTs <= 2 * stormNs;
    List<PathPlanner.PathHop> path = planner().plan(c, d);
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
                ? ": " + Hints.lostAt(c, d, dl.lostAfter, dl.lostBefore, path, inventory)
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
    return Alerts.build(
        AlertType.RETRANSMISSION_STORM,
        AlertStatus.FIRING,
        Alerts.flowSubject(c),
        localised ? Alerts.lostAt(dl.lostAfter, dl.lostBefore, d) : null,
        r,
        hint,
        t,
        t,
        hopsSeen(c, path, d),
        List.of(),
        counts,
        facts,
        Alerts.communityIds(c));
  }

  private boolean evalMtu(Conversation c, long t) {
    int lossDir = -1;
    for (int d = 0; d < 2; d++) {
      DirLoss dl = c.loss[d];
      if (dl.lostLarge.sum(t, mtuNs) >= mtuMinLost
          && dl.lostSmall.sum(t, mtuNs) == 0
          && (dl.deliveredSmall.sum(t, mtuNs) > 0 || dl.maxDeliveredSize > 0)) {
        lossDir = d;
        break;
      }
    }
    boolean icmp = c.icmpMtuTs >= 0 && t - c.icmpMtuTs < mtuNs;
    int retransDir = -1;
    long largeRetrans = 0;
    for (HopSlot s : c.slots) {
      for (int d = 0; d < 2; d++) {
        HopDir h = s.dir[d];
        long large = h.largeDfRetransWin.sum(t, mtuNs);
        long all = h.retransWin.sum(t, stormNs);
        if (large >= mtuMinLost && all <= large && large > largeRetrans) {
          largeRetrans = large;
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
        active
            && !c.alerts[Conversation.MTU].active
            && lossDir < 0
            && !icmp
            && awaitingLargeSettlement(c, d, t);
    report(
        c,
        Conversation.MTU,
        active && !await,
        "MTU_BLACKHOLE|" + c.id,
        t,
        () -> mtuAlert(c, t, d, ld >= 0, lr, icmp));
    return active;
  }

  /**
   * Whether direction d has settled no loss lately while a large packet of it is still unsettled
   * short of the end of its path (its fate, and so the segment, is known within the lateness; once
   * any loss settled the wait is over, so it never lasts longer).
   */
  private boolean awaitingLargeSettlement(Conversation c, int d, long t) {
    DirLoss dl = c.loss[d];
    if (dl.lastLostTs >= 0 && t - dl.lastLostTs <= mtuNs) {
      return false;
    }
    List<PathPlanner.PathHop> path = null;
    for (Pending p : c.pending) {
      if (p.dir == d && p.size >= mtuLarge) {
        if (path == null) {
          path = planner().plan(c, d);
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
        && t - dl.lastLostTs <= mtuNs
        && dl.lostLarge.sum(t, mtuNs) > 0
        && dl.lostSmall.sum(t, mtuNs) == 0;
  }

  private Alert mtuAlert(
      Conversation c, long t, int d, boolean lossBased, long largeRetrans, boolean icmp) {
    DirLoss dl = c.loss[d];
    List<PathPlanner.PathHop> path = planner().plan(c, d);
    boolean localised = lossBased || recentLargeLoss(dl, t);
    String after = localised ? dl.lostAfter : null;
    String before = localised ? dl.lostBefore : null;
    int pmtu = -1;
    String source;
    if (icmp && c.icmpMtu > 0) {
      pmtu = c.icmpMtu;
      source = "icmp from " + c.icmpReporter;
    } else {
      source = "unknown";
      HopDir enc = null;
      String encNode = null;
      for (HopSlot s : c.slots) {
        if (s.dir[d].encapType >= 0) {
          enc = s.dir[d];
          encNode = s.node;
          break;
        }
      }
      if (enc != null) {
        int overhead =
            switch (StateCodes.encap(enc.encapType)) {
              case IPIP -> 20;
              case GRE -> 24;
              default -> 50;
            };
        if (enc.outerSrc != null && enc.outerSrc.indexOf(':') >= 0) {
          overhead += 20;
        }
        int uplink = inventory.uplinkMtu(encNode);
        if (uplink > 0) {
          pmtu = uplink - overhead;
          source =
              "uplink MTU "
                  + uplink
                  + " of "
                  + encNode
                  + " minus "
                  + overhead
                  + " bytes encapsulation";
        }
      }
      if (pmtu < 0 && after != null) {
        int m = inventory.mtu(HopId.nodeOf(after), HopId.ifaceOf(before != null ? before : after));
        if (m > 0) {
          pmtu = m;
          source = "MTU of " + (before != null ? before : after);
        }
      }
      if (pmtu < 0 && dl.maxDeliveredSize > 0) {
        pmtu = dl.maxDeliveredSize;
        source = "largest packet that passed";
      }
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("largeLost", dl.lostLarge.sum(t, mtuNs));
    counts.put("smallDelivered", dl.deliveredSmall.sum(t, mtuNs));
    counts.put("largeDfRetransmissions", largeRetrans);
    Map<String, String> facts = new LinkedHashMap<>();
    if (pmtu > 0) {
      facts.put("pathMtu", String.valueOf(pmtu));
    }
    facts.put("pathMtuSource", source);
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
            + (icmp ? " (frag-needed/packet-too-big received from " + c.icmpReporter + ")" : "")
            + (pmtu > 0
                ? ": path MTU is " + pmtu + "; set the pod/VTEP MTU to at most " + pmtu
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
        hopsSeen(c, path, d),
        before == null ? List.of() : hopsAfter(path, after),
        counts,
        facts,
        Alerts.communityIds(c));
  }
}
