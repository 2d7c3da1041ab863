package io.hoptrace.reduce;

import io.hoptrace.contract.CountersReason;
import io.hoptrace.contract.IpProto;
import io.hoptrace.contract.TcpSequence;
import io.hoptrace.schema.EncapType;
import io.hoptrace.schema.FlowDirection;
import io.hoptrace.schema.FlowHopCounters;
import io.hoptrace.schema.PacketSummary;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Reduced summaries (docs/detection.md, "Reduced summaries"): decides per packet whether the
 * detection needs it one by one — TCP SYN/FIN/RST, ICMP, DNS, the first packets of each flow
 * direction on each hop, TCP segments below the hop's highest sequence (retransmission candidates)
 * or after a pause, and a trajectory sample chosen by the fingerprint hash (the same on every hop)
 * — and folds the rest into per (hop, flow key, direction) counters ({@link FlowHopCounters}),
 * emitted when a packet falls into the next interval, at interval ticks, before a kept segment
 * whose TCP analysis needs the hop's state, when the flow ends or is evicted, and at {@link
 * #finish}.
 *
 * <p>Fed with one sensor's summaries (any number of hops) in capture order per hop; time is the
 * largest capture time seen or what {@link #advanceTo} passes (a live sensor's wall clock). Not
 * thread-safe.
 */
public final class Reducer {

  /** Where the reducer's records go, in the order they must be published. */
  public interface Output {
    /**
     * A packet kept one by one: publish {@code p.summary(flow)} under {@code p.partitionKey()}.
     * {@code flow} is the packet's table entry (its texts for the summary), null when it has none.
     */
    void summary(ReducerPacket p, FlowTexts flow);

    void counters(FlowHopCounters counters);
  }

  /** The MTU of a hop's interface, -1 when unknown. */
  public interface MtuLookup {
    int mtu(String node, String pod, String iface);

    MtuLookup UNKNOWN = (n, p, i) -> -1;
  }

  private final ReducerConfig cfg;
  private final Output out;
  private final MtuLookup mtus;
  private final TrajectorySample sample;
  private final ReducerStats stats = new ReducerStats();
  private final Map<Object, HopFlow> table;
  private final ArrayDeque<HopFlow> queued = new ArrayDeque<>();
  private final long[] pre = new long[6];
  private final SummaryPacket summaries = new SummaryPacket();
  private long now = Long.MIN_VALUE;
  private long tickBucket = Long.MIN_VALUE;

  public Reducer(ReducerConfig cfg, Output out, MtuLookup mtus) {
    this.cfg = Objects.requireNonNull(cfg, "cfg");
    this.out = Objects.requireNonNull(out, "out");
    this.mtus = Objects.requireNonNull(mtus, "mtus");
    this.sample = new TrajectorySample(cfg.sampleRate());
    int max = cfg.maxFlows();
    this.table =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Object, HopFlow> eldest) {
            if (size() <= max) {
              return false;
            }
            stats.evictions++;
            emitBoth(eldest.getValue(), CountersReason.EVICTED);
            return true;
          }
        };
  }

  public ReducerStats stats() {
    stats.flows = table.size();
    return stats;
  }

  /** One captured packet's summary, in capture order per hop. */
  public void offer(PacketSummary p) {
    offer(summaries.wrap(null, p));
  }

  /** One captured packet, in capture order per hop. */
  public void offer(ReducerPacket p) {
    stats.packets++;
    long ts = p.tsNanos();
    advanceTo(ts);
    int proto = p.proto();
    if (!p.hasFlow()) {
      keep(p, null, KeepReason.OTHER);
      return;
    }
    if (IpProto.isIcmp(proto)) {
      keep(p, null, KeepReason.ICMP);
      return;
    }
    if (p.dns() || p.sport() == 53 || p.dport() == 53) {
      keep(p, null, KeepReason.DNS);
      return;
    }
    HopFlow f = entry(p);
    f.lastTs = Math.max(f.lastTs, ts);
    int d = p.forward() ? 0 : 1;
    DirCounters dc = f.dir[d];
    if (dc.src == null) {
      dc.src = p.src();
      dc.dst = p.dst();
      dc.sport = p.sport();
      dc.dport = p.dport();
    }
    if (dc.duplicate(p.fingerprint(), ts, cfg.duplicateNanos())) {
      stats.duplicates++; // the detection drops it too
      return;
    }
    long prevTs = dc.lastTs;
    boolean tcp = p.tcp();
    int flags = p.tcpFlags();
    int payload = Math.max(0, p.payloadLength());
    int cls = TcpSequence.NONE;
    if (tcp) {
      snapshot(dc);
      cls =
          TcpSequence.analyze(
              dc, f.dir[1 - d], flags, p.tcpSeq(), p.tcpAck(), p.tcpWindow(), payload, ts, true);
      if (cls != TcpSequence.NONE && cls != TcpSequence.OUT_OF_ORDER) {
        dc.retransmissions++;
      }
    }
    dc.lastTs = Math.max(dc.lastTs, ts);
    dc.seen++;
    boolean occupies = payload > 0 || (flags & (TcpSequence.SYN | TcpSequence.FIN)) != 0;
    KeepReason why = null;
    if ((flags & (TcpSequence.SYN | TcpSequence.FIN | TcpSequence.RST)) != 0) {
      why = KeepReason.CONTROL;
    } else if (dc.seen <= cfg.firstPackets()) {
      why = KeepReason.FIRST;
    } else if (cls != TcpSequence.NONE) {
      why = KeepReason.RETRANSMISSION;
    } else if (tcp && occupies && prevTs >= 0 && ts - prevTs >= cfg.pauseNanos()) {
      why = KeepReason.PAUSE;
    } else if (sample.selects(p.fingerprint())) {
      why = KeepReason.SAMPLED;
    }
    if (why == null) {
      fold(f, d, p, tcp, flags, payload, occupies);
      return;
    }
    if (cls != TcpSequence.NONE) {
      // the detection classifies this segment itself: its view of the hop's TCP state must be the
      // one this segment met, folded packets included
      emitBefore(f, d);
    }
    keep(p, f, why);
    if (tcp && (flags & (TcpSequence.FIN | TcpSequence.RST)) != 0) {
      f.finMask |= (flags & TcpSequence.RST) != 0 ? 3 : 1 << d;
      if (f.finMask == 3 && !f.ended) {
        f.ended = true;
        emitBoth(f, CountersReason.FLOW_END);
      }
    }
  }

  /**
   * Moves time (a live sensor's wall clock, or capture time): at each new interval the counters of
   * earlier intervals are emitted and flows idle past {@code idleNanos} leave the table.
   */
  public void advanceTo(long nowNanos) {
    if (nowNanos <= now) {
      return;
    }
    now = nowNanos;
    long b = Math.floorDiv(now, cfg.intervalNanos());
    if (b == tickBucket) {
      return;
    }
    tickBucket = b;
    for (int i = queued.size(); i > 0; i--) {
      HopFlow f = queued.poll();
      f.queued = false;
      for (int d = 0; d < 2; d++) {
        if (f.dir[d].pending() && f.dir[d].bucket < b) {
          emit(f, d, CountersReason.INTERVAL, false);
        }
      }
      queue(f);
    }
    Iterator<HopFlow> it = table.values().iterator();
    while (it.hasNext()) {
      HopFlow f = it.next();
      if (f.lastTs >= now - cfg.idleNanos()) {
        break; // access order: the rest were used later
      }
      emitBoth(f, CountersReason.FLOW_END);
      it.remove();
      stats.expired++;
    }
  }

  /** End of input: every folded packet not yet emitted is emitted. */
  public void finish() {
    for (HopFlow f : table.values()) {
      emitBoth(f, CountersReason.END_OF_INPUT);
    }
    queued.clear();
  }

  private HopFlow entry(ReducerPacket p) {
    HopFlow f = table.get(p.tableKey());
    if (f == null) {
      f =
          new HopFlow(
              p.node(),
              p.pod(),
              p.iface(),
              p.role(),
              p.flowKey(),
              p.ipVersion(),
              p.proto(),
              mtus.mtu(p.node(), p.pod(), p.iface()));
      table.put(p.newTableKey(), f);
    }
    return f;
  }

  private void keep(ReducerPacket p, HopFlow f, KeepReason why) {
    stats.kept[why.ordinal()]++;
    out.summary(p, f);
  }

  private void fold(
      HopFlow f, int d, ReducerPacket p, boolean tcp, int flags, int payload, boolean occupies) {
    stats.folded++;
    DirCounters dc = f.dir[d];
    long ts = p.tsNanos();
    long bucket = Math.floorDiv(ts, cfg.intervalNanos());
    if (dc.pending() && bucket != dc.bucket) {
      emit(f, d, CountersReason.INTERVAL, false);
    }
    if (!dc.pending()) {
      dc.firstTs = ts;
      dc.bucket = bucket;
    }
    int ipLength = p.ipLength();
    int wire = p.wireLength();
    int size = ipLength > 0 ? ipLength : wire;
    dc.packets++;
    dc.bytes += Math.max(0, size);
    dc.firstTs = Math.min(dc.firstTs, ts);
    dc.foldedLastTs = Math.max(dc.foldedLastTs, ts);
    dc.maxWire = Math.max(dc.maxWire, wire);
    if (f.mtu > 0 && ipLength > f.mtu) {
      dc.aboveMtu++;
    }
    if (tcp) {
      dc.flags |= flags;
      if (occupies) {
        dc.segments++;
      }
      if (payload > 0) {
        dc.dataSegments++;
      } else if ((flags & (TcpSequence.SYN | TcpSequence.FIN | TcpSequence.RST)) == 0) {
        dc.pureAcks++;
      }
    }
    EncapType encap = p.encapType();
    if (encap != null) {
      dc.encapType = encap;
      dc.outerSrc = p.outerSrc();
      dc.outerDst = p.outerDst();
      dc.outerDport = p.outerDport();
    } else {
      dc.encapType = null;
      dc.outerSrc = null;
      dc.outerDst = null;
      dc.outerDport = -1;
    }
    queue(f);
  }

  private void queue(HopFlow f) {
    if (!f.queued && f.pending()) {
      f.queued = true;
      queued.add(f);
    }
  }

  private void snapshot(DirCounters dc) {
    pre[0] = dc.nextSeq;
    pre[1] = dc.lastAck;
    pre[2] = dc.lastWin;
    pre[3] = dc.dupAcks;
    pre[4] = dc.lastAckTs;
    pre[5] = dc.lastTs;
  }

  /** Before a kept segment of direction d: both directions' folded packets, d as it was before. */
  private void emitBefore(HopFlow f, int d) {
    if (f.dir[d].pending()) {
      emit(f, d, CountersReason.BEFORE_PACKET, true);
    }
    if (f.dir[1 - d].pending()) {
      emit(f, 1 - d, CountersReason.BEFORE_PACKET, false);
    }
  }

  private void emitBoth(HopFlow f, CountersReason why) {
    for (int d = 0; d < 2; d++) {
      if (f.dir[d].pending()) {
        emit(f, d, why, false);
      }
    }
  }

  private void emit(HopFlow f, int d, CountersReason why, boolean beforeAnalysis) {
    DirCounters dc = f.dir[d];
    FlowHopCounters.Builder b =
        FlowHopCounters.newBuilder()
            .setNode(f.node)
            .setIface(f.iface)
            .setPod(f.pod)
            .setRole(f.role)
            .setReason(why.code())
            .setIpVersion(f.ipVersion)
            .setSrc(dc.src)
            .setDst(dc.dst)
            .setProto(f.proto)
            .setSport(dc.sport)
            .setDport(dc.dport)
            .setFlowKey(f.flowKey)
            .setFlowDirection(d == 0 ? FlowDirection.A_TO_B : FlowDirection.B_TO_A)
            .setFirstTsNanos(dc.firstTs)
            .setLastTsNanos(dc.foldedLastTs)
            .setPackets(dc.packets)
            .setBytes(dc.bytes)
            .setMaxWireLength(dc.maxWire)
            .setMtu(f.mtu)
            .setAboveMtu(dc.aboveMtu)
            .setTcpFlags(dc.flags)
            .setSegments(dc.segments)
            .setDataSegments(dc.dataSegments)
            .setPureAcks(dc.pureAcks)
            .setRetransmissions(dc.retransmissions)
            .setEncapType(dc.encapType)
            .setOuterSrc(dc.outerSrc)
            .setOuterDst(dc.outerDst)
            .setOuterDport(dc.outerDport);
    if (beforeAnalysis) {
      b.setTcpNextSeq(pre[0])
          .setTcpLastAck(pre[1])
          .setTcpLastWindow((int) pre[2])
          .setTcpDupAcks((int) pre[3])
          .setTcpLastAckTsNanos(pre[4])
          .setTcpLastTsNanos(pre[5]);
    } else {
      b.setTcpNextSeq(dc.nextSeq)
          .setTcpLastAck(dc.lastAck)
          .setTcpLastWindow(dc.lastWin)
          .setTcpDupAcks(dc.dupAcks)
          .setTcpLastAckTsNanos(dc.lastAckTs)
          .setTcpLastTsNanos(dc.lastTs);
    }
    dc.emitted();
    stats.counters[why.ordinal()]++;
    out.counters(b.build());
  }
}
