package io.hoptrace.lab;

import io.hoptrace.contract.FlowKey;
import io.hoptrace.contract.IpProto;
import io.hoptrace.schema.DnsInfo;
import io.hoptrace.schema.FiveTuple;
import io.hoptrace.schema.FlowDirection;
import io.hoptrace.schema.IcmpInfo;
import io.hoptrace.schema.PacketSummary;
import io.hoptrace.schema.TcpInfo;
import java.util.Objects;

/** Fluent builder of the hop-independent part of a synthetic packet summary. */
public final class Pkt {
  public static final int FIN = 1;
  public static final int SYN = 2;
  public static final int RST = 4;
  public static final int PSH = 8;
  public static final int ACK = 16;

  private static int nextIpId = 1000;

  final String src;
  final int sport;
  final String dst;
  final int dport;
  final int proto;
  int ipLength = 60;
  int snaplen = 128;
  int payload;
  boolean df = true;
  long ipId = nextIpId++;
  TcpInfo tcp;
  IcmpInfo icmp;
  DnsInfo dns;
  Long fingerprint;

  private Pkt(int proto, String src, int sport, String dst, int dport) {
    this.proto = proto;
    this.src = src;
    this.sport = sport;
    this.dst = dst;
    this.dport = dport;
  }

  public static Pkt tcp(
      String src, int sport, String dst, int dport, int flags, long seq, long ack, int payload) {
    Pkt p = new Pkt(IpProto.TCP, src, sport, dst, dport);
    p.tcp = TcpInfo.newBuilder().setFlags(flags).setSeq(seq).setAck(ack).setWindow(64240).build();
    p.payload = payload;
    p.ipLength = 40 + payload + ((flags & SYN) != 0 ? 20 : 12);
    return p;
  }

  public static Pkt udp(String src, int sport, String dst, int dport, int payload) {
    Pkt p = new Pkt(IpProto.UDP, src, sport, dst, dport);
    p.payload = payload;
    p.ipLength = 28 + payload;
    p.df = false;
    return p;
  }

  /** An IP packet of another protocol (e.g. IGMP, 2), without ports. */
  public static Pkt ip(int proto, String src, String dst, int payload) {
    Pkt p = new Pkt(proto, src, -1, dst, -1);
    p.payload = payload;
    p.ipLength = 24 + payload;
    p.df = false;
    return p;
  }

  public static Pkt dnsQuery(String client, int sport, String resolver, int id) {
    Pkt p = udp(client, sport, resolver, 53, 40);
    p.dns = DnsInfo.newBuilder().setId(id).setQr(false).setRcode(0).setQdcount(1).build();
    return p;
  }

  public static Pkt dnsAnswer(String resolver, String client, int dport, int id, int rcode) {
    Pkt p = udp(resolver, 53, client, dport, 80);
    p.dns = DnsInfo.newBuilder().setId(id).setQr(true).setRcode(rcode).setQdcount(1).build();
    return p;
  }

  public static Pkt echoRequest(String src, String dst, int id, int seq) {
    Pkt p = new Pkt(IpProto.ICMP, src, id, dst, 0);
    p.icmp = IcmpInfo.newBuilder().setType(8).setCode(0).setId(id).setSeq(seq).build();
    p.ipLength = 84;
    return p;
  }

  public static Pkt echoReply(String src, String dst, int id, int seq) {
    Pkt p = new Pkt(IpProto.ICMP, src, 0, dst, id);
    p.icmp = IcmpInfo.newBuilder().setType(0).setCode(0).setId(id).setSeq(seq).build();
    p.ipLength = 84;
    return p;
  }

  /** An ICMPv4 error from reporter to the quoted packet's source. */
  public static Pkt icmpError(
      String reporter, int type, int code, FiveTuple quoted, FiveTuple inner) {
    Pkt p = new Pkt(IpProto.ICMP, reporter, -1, quoted.getSrc(), -1);
    p.icmp =
        IcmpInfo.newBuilder()
            .setType(type)
            .setCode(code)
            .setQuoted(quoted)
            .setQuotedInner(inner)
            .build();
    p.ipLength = 120;
    p.df = false;
    return p;
  }

  /** The same packet (same fingerprint) after NAT rewrote its addresses and ports. */
  public Pkt natted(String nsrc, int nsport, String ndst, int ndport) {
    Pkt p = new Pkt(proto, nsrc, nsport, ndst, ndport);
    p.ipLength = ipLength;
    p.payload = payload;
    p.df = df;
    p.ipId = ipId;
    p.tcp = tcp;
    p.icmp = icmp;
    p.dns = dns;
    p.fingerprint = fingerprint();
    return p;
  }

  public Pkt icmpMtu(int mtu) {
    icmp.setMtu(mtu);
    return this;
  }

  public static FiveTuple tuple(int proto, String src, int sport, String dst, int dport) {
    return FiveTuple.newBuilder()
        .setProto(proto)
        .setSrc(src)
        .setSport(sport)
        .setDst(dst)
        .setDport(dport)
        .build();
  }

  /** Total IP length (e.g. 1500 for a full-size segment). */
  public Pkt size(int ipLength) {
    this.ipLength = ipLength;
    if (tcp != null) {
      this.payload = ipLength - 52;
    }
    return this;
  }

  /** Capture snap length: captured length is min(wire length, snaplen). */
  public Pkt snap(int snaplen) {
    this.snaplen = snaplen;
    return this;
  }

  public Pkt df(boolean df) {
    this.df = df;
    return this;
  }

  public long fingerprint() {
    if (fingerprint != null) {
      return fingerprint;
    }
    long h = Objects.hash(ipId, proto, payload);
    if (tcp != null) {
      h = h * 31 + Objects.hash(tcp.getSeq(), tcp.getAck(), tcp.getFlags());
    }
    if (icmp != null) {
      h = h * 31 + Objects.hash(icmp.getType(), icmp.getCode(), icmp.getId(), icmp.getSeq());
    }
    if (dns != null) {
      h = h * 31 + dns.getId();
    }
    return h == 0 ? 1 : h;
  }

  /** The summary with hop fields left to the caller. */
  PacketSummary.Builder base(long ts) {
    String key;
    FlowDirection dir;
    if (icmp != null && (icmp.getQuoted() != null)) {
      FiveTuple q = icmp.getQuotedInner() != null ? icmp.getQuotedInner() : icmp.getQuoted();
      key = FlowKey.key(q.getProto(), q.getSrc(), q.getSport(), q.getDst(), q.getDport());
      dir = FlowDirection.B_TO_A;
    } else {
      key = FlowKey.key(proto, src, sport, dst, dport);
      dir = FlowKey.isAtoB(src, sport, dst, dport) ? FlowDirection.A_TO_B : FlowDirection.B_TO_A;
    }
    return PacketSummary.newBuilder()
        .setTsNanos(ts)
        .setWireLength(ipLength + 14)
        .setCapturedLength(Math.min(ipLength + 14, snaplen))
        .setIpVersion(4)
        .setSrc(src)
        .setDst(dst)
        .setProto(proto)
        .setSport(sport)
        .setDport(dport)
        .setTtl(64)
        .setIpId(ipId)
        .setDf(df)
        .setIpLength(ipLength)
        .setPayloadLength(payload)
        .setTcp(tcp == null ? null : TcpInfo.newBuilder(tcp).build())
        .setIcmp(icmp == null ? null : IcmpInfo.newBuilder(icmp).build())
        .setDns(dns == null ? null : DnsInfo.newBuilder(dns).build())
        .setFlowKey(key)
        .setFlowDirection(dir)
        .setFingerprint(fingerprint());
  }
}
