package io.hoptrace.detect;

import io.hoptrace.contract.FlowKey;
import io.hoptrace.contract.IpProto;
import io.hoptrace.schema.FlowHopCounters;
import io.hoptrace.schema.IcmpInfo;
import io.hoptrace.schema.PacketSummary;
import io.hoptrace.schema.TcpInfo;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Request/response semantics of a conversation: who initiated it (orientation of its tuples, turned
 * around when a later packet shows otherwise), which packets expect a reply ({@code
 * oneway.udp.request.ports}, {@code oneway.udp.never.ports}, {@code oneway.dns}) and the TCP state
 * (flags, history, close, rejection). The request tracking ({@code Conversation.firstUnanswered})
 * it feeds is what ONE_WAY reads.
 */
final class RequestTracker {
  private final boolean onewayDns;
  private final Set<Integer> requestPorts;
  private final Set<Integer> neverPorts;
  private final Consumer<String> count;

  RequestTracker(DetectionConfig cfg, Consumer<String> count) {
    this.onewayDns = cfg.get(DetectionConfig.ONE_WAY_DNS);
    this.requestPorts = cfg.get(DetectionConfig.ONE_WAY_UDP_REQUEST_PORTS);
    this.neverPorts = cfg.get(DetectionConfig.ONE_WAY_UDP_NEVER_PORTS);
    this.count = count;
  }

  /**
   * A packet of direction {@code d} (its first sighting on any hop, or another hop's): TCP
   * bookkeeping, then whether it is a request still unanswered at its time (first such time, and
   * how many, counted once per packet), and the direction's latest packet time.
   */
  void onPacket(
      Conversation c,
      PacketSummary p,
      int d,
      boolean tcp,
      int flags,
      int payload,
      long ts,
      boolean firstSighting) {
    if (tcp) {
      tcpBookkeeping(c, d, flags, payload, ts);
    }
    if (isRequest(c, p, d, flags, payload)) {
      c.requested = true;
      boolean answered = c.lastDirTs[1 - d] >= ts || c.lastIcmpTs >= ts;
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
  }

  /** TCP flags, history letters, close and rejection (RST to a SYN) of a conversation. */
  void tcpBookkeeping(Conversation c, int d, int flags, int payload, long ts) {
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

  /** Inherently one-way UDP (tunnels, syslog...): never a request/response flow. */
  boolean tunnelFlow(Conversation c) {
    TupleInfo t = c.first();
    return t.proto == IpProto.UDP && (neverPorts.contains(t.sport) || neverPorts.contains(t.dport));
  }

  /** Whether a packet of direction d expects a reply. */
  boolean isRequest(Conversation c, PacketSummary p, int d, int flags, int payload) {
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
      // to a request/response port, or from the initiator once the responder has answered:
      // the responder's datagrams are replies (never requests), whatever the ports look like
      return requestPorts.contains(p.getDport()) || (d == 0 && c.lastDirTs[1] >= 0);
    }
    return false;
  }

  /**
   * Whether folded packets (reduced summaries) of direction d include requests, as {@link
   * #isRequest} judges a packet: TCP data, UDP to a request/response port or from the initiator
   * after the responder answered (folded packets are never SYN, ICMP or DNS).
   */
  boolean countedRequests(Conversation c, FlowHopCounters k, int d) {
    if (tunnelFlow(c)) {
      return false;
    }
    if (k.getProto() == IpProto.TCP) {
      return k.getDataSegments() > 0;
    }
    if (k.getProto() == IpProto.UDP) {
      if (c.dnsFlow && !onewayDns) {
        return false;
      }
      return requestPorts.contains(k.getDport()) || (d == 0 && c.lastDirTs[1] >= 0);
    }
    return false;
  }

  /** A new tuple of the packet's flow key, oriented initiator first as well as the packet says. */
  TupleInfo newTuple(String key, PacketSummary p, String src, String dst) {
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
      int ports = portSignal(p.getProto(), sp, dp);
      if (ports != 0) {
        senderInitiates = ports > 0;
      } else if (p.getProto() == IpProto.UDP) {
        // no port tells: the sender of the earliest datagram initiated (reorient() corrects it
        // when an earlier one of the other side arrives later)
        senderInitiates = true;
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

  /**
   * What the ports say of who initiated: +1 the sender (to a UDP request port, or from an ephemeral
   * port to one below 1024), -1 the receiver, 0 nothing (both or neither).
   */
  private int portSignal(int proto, int sp, int dp) {
    if (proto == IpProto.UDP) {
      boolean toService = requestPorts.contains(dp);
      boolean fromService = requestPorts.contains(sp);
      if (toService != fromService) {
        return toService ? 1 : -1;
      }
    }
    if (dp >= 0 && sp >= 0 && dp < 1024 && sp >= 1024) {
      return 1;
    }
    if (dp >= 0 && sp >= 0 && sp < 1024 && dp >= 1024) {
      return -1;
    }
    return 0;
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

  /**
   * Turns a one-tuple conversation around when a packet shows the initiator the other way: a SYN,
   * an echo request or reply, or — for UDP whose ports tell nothing — a datagram captured earlier
   * than any seen so far (called before the tuple's {@code firstSeen} takes the packet's time).
   */
  void reorient(Conversation c, TupleInfo t, PacketSummary p, String src, int sport) {
    if (t.certain || c.tuples.size() != 1) {
      return;
    }
    int signal = initiatorSignal(p);
    if (signal == 0) {
      if (t.proto == IpProto.UDP
          && p.getTsNanos() < t.firstSeen
          && portSignal(t.proto, t.sport, t.dport) == 0
          && t.dirOf(src, sport) == 1) {
        // the earliest datagram came from the side taken for the responder
        c.flip();
        // the responder's datagrams are replies, never requests
        c.firstUnanswered[1] = -1;
        c.unanswered[1] = 0;
        count.accept("reoriented");
      }
      return;
    }
    boolean senderIsInitiator = t.dirOf(src, sport) == 0;
    if ((signal > 0) != senderIsInitiator) {
      c.flip();
      count.accept("reoriented");
    }
    t.certain = true;
  }

  static boolean isIcmpError(int proto, int type) {
    return FlowKey.keyedByQuotedFlow(proto, type);
  }

  /** A new conversation of the packet an ICMP error quotes, oriented as quoted. */
  static Conversation quotedConversation(
      io.hoptrace.schema.FiveTuple q, String key, String qsrc, String qdst, long ts) {
    Conversation c = new Conversation();

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
    return c;
  }
}
