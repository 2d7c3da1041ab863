package io.hoptrace.detect;

import io.hoptrace.contract.FlowKey;
import io.hoptrace.contract.HopId;
import io.hoptrace.detect.detector.CountersView;
import io.hoptrace.detect.net.Ip;
import io.hoptrace.schema.FlowHopCounters;
import io.hoptrace.schema.InterfaceRole;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The core's intake of reduced summaries ({@link FlowHopCounters}, docs/detection.md "Reduced
 * summaries"): folded packets go into the hop's accounting (packets, bytes, first/last time), its
 * TCP analysis state (the reducer's, taken over as it was after the last folded packet), and the
 * conversation's request/reply bookkeeping, as the packets themselves would have. Per-packet
 * matching across hops (settling, lost-at) is left to the packets sent one by one.
 */
final class CounterIntake {
  private final HopRegistry hops;
  private final RequestTracker requests;
  private final Function<String, Conversation> load;
  private final Consumer<String> count;
  private final int maxHops;
  private final CountersView view = new CountersView();

  CounterIntake(
      HopRegistry hops,
      RequestTracker requests,
      Function<String, Conversation> load,
      Consumer<String> count,
      int maxHops) {
    this.hops = hops;
    this.requests = requests;
    this.load = load;
    this.count = count;
    this.maxHops = maxHops;
  }

  /**
   * Accounts one counters record; returns the view for the detectors (its conversation in {@code
   * c[0]}), or null when the record belongs to no conversation (counted and skipped).
   */
  CountersView apply(FlowHopCounters k, Conversation[] c) {
    if (k.getPackets() <= 0 || k.getSrc() == null || k.getDst() == null) {
      count.accept("counters.skipped.EMPTY");
      return null;
    }
    String hop = HopId.format(k.getNode(), k.getPod(), k.getIface());
    String src = Ip.canonical(k.getSrc());
    String dst = Ip.canonical(k.getDst());
    int sport = k.getSport();
    String key = FlowKey.key(k.getProto(), src, sport, dst, k.getDport());
    Conversation conv = load.apply(key);
    int ti = conv == null ? -1 : conv.tupleIndex(key);
    if (ti < 0) {
      // its first packets were sent one by one: only a conversation that already ended gets here
      count.accept("counters.skipped.NO_CONVERSATION");
      return null;
    }
    hops.register(hop, k.getNode(), k.getPod(), k.getRole());
    TupleInfo t = conv.tuples.get(ti);
    long first = k.getFirstTsNanos();
    long last = k.getLastTsNanos();
    t.firstSeen = Math.min(t.firstSeen, first);
    int d = t.dirOf(src, sport);
    int si = conv.slotIndex(hop, ti);
    if (si < 0) {
      if (conv.slots.size() < maxHops) {
        InterfaceRole role = k.getRole();
        conv.slots.add(new HopSlot(hop, k.getNode(), k.getPod(), role, ti));
        si = conv.slots.size() - 1;
      } else {
        count.accept("hops.overflow");
      }
    }
    HopDir hd = null;
    if (si >= 0) {
      hd = conv.slots.get(si).dir[d];
      account(hd, k);
    }
    conv.sawPackets(d, first, last);
    int o = 1 - d;
    if (k.getProto() == io.hoptrace.contract.IpProto.TCP) {
      if (k.getDataSegments() > 0) {
        requests.tcpBookkeeping(conv, d, k.getTcpFlags(), 1, last);
      }
      if (k.getPureAcks() > 0) {
        requests.tcpBookkeeping(conv, d, TcpAnalyzer.ACK, 0, last);
      }
    }
    if (requests.countedRequests(conv, k, d)) {
      conv.requested = true;
      long lastReply = Math.max(conv.lastDirTs[o], conv.lastIcmpTs);
      if (lastReply < last && conv.firstUnanswered[d] < 0) {
        // the first request after the last reply: folded packets tell only their first and last
        // times, so a reply inside their span leaves the later bound (estimated, never earlier)
        conv.firstUnanswered[d] = lastReply < first ? first : last;
      }
    }
    conv.lastDirTs[d] = Math.max(conv.lastDirTs[d], last);
    c[0] = conv;
    view.counters = k;
    view.hop = hop;
    view.dir = d;
    view.hopDir = hd;
    return view;
  }

  /** The hop's packets, bytes and times, and the reducer's TCP state after them. */
  private static void account(HopDir hd, FlowHopCounters k) {
    hd.packets += k.getPackets();
    hd.bytes += Math.max(0, k.getBytes());
    hd.firstTs = hd.firstTs < 0 ? k.getFirstTsNanos() : Math.min(hd.firstTs, k.getFirstTsNanos());
    hd.lastTs = Math.max(hd.lastTs, k.getLastTsNanos());
    if (k.getTcpNextSeq() >= 0) {
      hd.nextSeq = k.getTcpNextSeq();
      hd.lastAck = k.getTcpLastAck();
      hd.lastWin = k.getTcpLastWindow();
      hd.dupAcks = k.getTcpDupAcks();
      hd.lastAckTs = k.getTcpLastAckTsNanos();
      hd.lastTs = Math.max(hd.lastTs, k.getTcpLastTsNanos());
    }
    if (k.getEncapType() != null && k.getOuterSrc() != null && k.getOuterDst() != null) {
      hd.encapType = StateCodes.encap(k.getEncapType());
      hd.outerSrc = Ip.canonical(k.getOuterSrc());
      hd.outerDst = Ip.canonical(k.getOuterDst());
      hd.outerDport = k.getOuterDport();
    }
  }
}
