package io.hoptrace.decode;

import io.hoptrace.capture.HopContext;
import io.hoptrace.contract.FlowKey;
import io.hoptrace.schema.DnsInfo;
import io.hoptrace.schema.EncapLayer;
import io.hoptrace.schema.FiveTuple;
import io.hoptrace.schema.FlowDirection;
import io.hoptrace.schema.IcmpInfo;
import io.hoptrace.schema.PacketSummary;
import io.hoptrace.schema.TcpInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the Avro {@link PacketSummary} of a decoded packet (SPEC section 3), with the canonical
 * flow key and direction, the Community ID and the fingerprint. This is the publish path: it
 * allocates. Thread-safe: each thread uses its own {@link CommunityId} (one SHA-1 digest).
 */
public final class SummaryMapper {
  private static final ThreadLocal<CommunityId> COMMUNITY_ID =
      ThreadLocal.withInitial(CommunityId::new);

  private SummaryMapper() {}

  /**
   * The Avro record for one packet on one hop. Records are constructed directly with every field
   * set (Avro's builders deep-copy schema defaults for each record, which cost more than the rest
   * of the mapping).
   */
  public static PacketSummary toAvro(
      HopContext hop, long tsNanos, int capturedLength, int wireLength, DecodedPacket p) {
    return toAvro(hop, tsNanos, capturedLength, wireLength, p, null, null, null);
  }

  /**
   * {@link #toAvro(HopContext, long, int, int, DecodedPacket)} with texts already known: addresses
   * from {@code texts} (a capture thread's cache; null writes them anew), and the packet's flow key
   * and Community ID when the caller has them from an earlier packet of the same flow (null: they
   * are computed). The record is the same either way.
   */
  public static PacketSummary toAvro(
      HopContext hop,
      long tsNanos,
      int capturedLength,
      int wireLength,
      DecodedPacket p,
      AddressTexts texts,
      String flowKey,
      String communityId) {
    PacketSummary s = new PacketSummary();
    s.setNode(hop.node());
    s.setIface(hop.iface());
    s.setPod(hop.pod());
    s.setRole(hop.role());
    s.setDirection(p.captureDirection());
    s.setIfIndex(p.ifIndex());
    s.setTsNanos(tsNanos);
    s.setWireLength(wireLength);
    s.setCapturedLength(capturedLength);
    s.setStatus(p.status().name());
    List<Integer> vlans = new ArrayList<>(p.vlanCount());
    for (int i = 0; i < p.vlanCount(); i++) {
      vlans.add(p.vlan(i));
    }
    s.setVlans(vlans);
    List<EncapLayer> encap = new ArrayList<>(p.encapDepth());
    for (int i = 0; i < p.encapDepth(); i++) {
      EncapInfo e = p.encap(i);
      EncapLayer l = new EncapLayer();
      l.setType(e.type());
      l.setOuterSrc(text(texts, e.outerSrc()));
      l.setOuterDst(text(texts, e.outerDst()));
      l.setOuterSport(e.outerSport());
      l.setOuterDport(e.outerDport());
      l.setVni(e.vni());
      l.setOuterTtl(e.outerTtl());
      l.setOuterDf(e.outerDf());
      l.setOuterLength(e.outerLength());
      encap.add(l);
    }
    s.setEncap(encap);
    s.setIpVersion(p.ipVersion());
    s.setFingerprint(p.fingerprint());
    s.setFlowDirection(p.flowForward() ? FlowDirection.A_TO_B : FlowDirection.B_TO_A);
    if (!p.hasIp()) {
      s.setProto(-1);
      s.setSport(-1);
      s.setDport(-1);
      s.setTtl(-1);
      s.setIpId(-1L);
      s.setIpLength(-1);
      s.setPayloadLength(-1);
      return s;
    }
    s.setSrc(text(texts, p.src()));
    s.setDst(text(texts, p.dst()));
    s.setProto(p.proto());
    s.setSport(p.sport());
    s.setDport(p.dport());
    s.setTtl(p.ttl());
    s.setIpId(p.ipId());
    s.setDf(p.df());
    s.setMf(p.mf());
    s.setFragOffset(p.fragOffset());
    s.setIpLength(p.ipLength());
    s.setPayloadLength(p.payloadLength());
    s.setFlowKey(flowKey != null ? flowKey : FlowKeys.key(p));
    s.setCommunityId(communityId != null ? communityId : COMMUNITY_ID.get().of(p));
    if (p.hasTcp()) {
      TcpInfo t = new TcpInfo();
      t.setFlags(p.tcpFlags());
      t.setSeq(p.tcpSeq());
      t.setAck(p.tcpAck());
      t.setWindow(p.tcpWindow());
      t.setMss(p.tcpMss());
      t.setWscale(p.tcpWscale());
      t.setSackPermitted(p.tcpSackPermitted());
      t.setSackBlocks(p.tcpSackBlocks());
      t.setTsVal(p.tcpTsVal());
      t.setTsEcr(p.tcpTsEcr());
      s.setTcp(t);
    }
    if (p.hasIcmp()) {
      IcmpInfo i = new IcmpInfo();
      i.setType(p.icmpType());
      i.setCode(p.icmpCode());
      i.setId(p.icmpId());
      i.setSeq(p.icmpSeq());
      i.setMtu(p.icmpMtu());
      i.setQuoted(p.hasQuoted() ? fiveTuple(p.quoted()) : null);
      i.setQuotedInner(p.hasQuotedInner() ? fiveTuple(p.quotedInner()) : null);
      i.setQuotedIpId(p.quotedIpId());
      i.setQuotedLength(p.quotedLength());
      s.setIcmp(i);
    }
    if (p.hasDns()) {
      DnsInfo d = new DnsInfo();
      d.setId(p.dnsId());
      d.setQr(p.dnsQr());
      d.setOpcode(p.dnsOpcode());
      d.setRcode(p.dnsRcode());
      d.setQdcount(p.dnsQdcount());
      d.setAncount(p.dnsAncount());
      s.setDns(d);
    }
    return s;
  }

  private static String text(AddressTexts texts, IpAddress a) {
    return texts != null ? texts.of(a) : a.toString();
  }

  /** An Avro 5-tuple from a decoded one. */
  public static FiveTuple fiveTuple(Tuple t) {
    FiveTuple f = new FiveTuple();
    f.setIpVersion(t.ipVersion());
    f.setSrc(t.src().toString());
    f.setDst(t.dst().toString());
    f.setProto(t.proto());
    f.setSport(t.sport());
    f.setDport(t.dport());
    return f;
  }

  /** The canonical flow key of an Avro 5-tuple (see {@link FlowKeys}). */
  public static String flowKeyOf(FiveTuple t) {
    return FlowKeys.key(t);
  }

  /**
   * The Kafka partition key of a packet: for an ICMP error with a quoted packet ({@link
   * FlowKey#keyedByQuotedFlow}), the quoted flow's canonical key — the innermost quoted tuple when
   * the quoted packet was encapsulated ({@link FlowKey#quotedFlow}) — so the error lands in the
   * partition of the flow it is about, the one the detection files it under; otherwise the packet's
   * own flow key; null when the packet has no IP header.
   */
  public static String partitionKey(DecodedPacket p) {
    String quoted = quotedFlowKey(p);
    return quoted != null ? quoted : FlowKeys.key(p);
  }

  /**
   * {@link #partitionKey(DecodedPacket)} for a packet already mapped to {@code summary}: reuses the
   * summary's flow key instead of building it again.
   */
  public static String partitionKey(DecodedPacket p, PacketSummary summary) {
    String quoted = quotedFlowKey(p);
    return quoted != null ? quoted : summary.getFlowKey();
  }

  /**
   * {@link #partitionKey(DecodedPacket)} when the packet's own flow key is known already ({@code
   * flowKey}).
   */
  public static String partitionKey(DecodedPacket p, String flowKey) {
    String quoted = quotedFlowKey(p);
    return quoted != null ? quoted : flowKey;
  }

  /** The key of the flow an ICMP error is about (see {@link #partitionKey}), else null. */
  private static String quotedFlowKey(DecodedPacket p) {
    if (!p.hasIcmp() || !FlowKey.keyedByQuotedFlow(p.proto(), p.icmpType())) {
      return null;
    }
    if (p.hasQuotedInner()) {
      return FlowKeys.key(p.quotedInner());
    }
    return p.hasQuoted() ? FlowKeys.key(p.quoted()) : null;
  }
}
