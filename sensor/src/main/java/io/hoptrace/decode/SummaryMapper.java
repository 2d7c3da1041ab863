package io.hoptrace.decode;

import io.hoptrace.capture.HopContext;
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

  /** The Avro record for one packet on one hop. */
  public static PacketSummary toAvro(
      HopContext hop, long tsNanos, int capturedLength, int wireLength, DecodedPacket p) {
    PacketSummary.Builder b =
        PacketSummary.newBuilder()
            .setNode(hop.node())
            .setIface(hop.iface())
            .setPod(hop.pod())
            .setRole(hop.role())
            .setDirection(p.captureDirection())
            .setIfIndex(p.ifIndex())
            .setTsNanos(tsNanos)
            .setWireLength(wireLength)
            .setCapturedLength(capturedLength)
            .setStatus(p.status().name());
    List<Integer> vlans = new ArrayList<>(p.vlanCount());
    for (int i = 0; i < p.vlanCount(); i++) {
      vlans.add(p.vlan(i));
    }
    b.setVlans(vlans);
    List<EncapLayer> encap = new ArrayList<>(p.encapDepth());
    for (int i = 0; i < p.encapDepth(); i++) {
      EncapInfo e = p.encap(i);
      encap.add(
          EncapLayer.newBuilder()
              .setType(e.type())
              .setOuterSrc(e.outerSrc().toString())
              .setOuterDst(e.outerDst().toString())
              .setOuterSport(e.outerSport())
              .setOuterDport(e.outerDport())
              .setVni(e.vni())
              .setOuterTtl(e.outerTtl())
              .setOuterDf(e.outerDf())
              .setOuterLength(e.outerLength())
              .build());
    }
    b.setEncap(encap);
    b.setIpVersion(p.ipVersion())
        .setFingerprint(p.fingerprint())
        .setFlowDirection(p.flowForward() ? FlowDirection.A_TO_B : FlowDirection.B_TO_A);
    if (!p.hasIp()) {
      return b.build();
    }
    b.setSrc(p.src().toString())
        .setDst(p.dst().toString())
        .setProto(p.proto())
        .setSport(p.sport())
        .setDport(p.dport())
        .setTtl(p.ttl())
        .setIpId(p.ipId())
        .setDf(p.df())
        .setMf(p.mf())
        .setFragOffset(p.fragOffset())
        .setIpLength(p.ipLength())
        .setPayloadLength(p.payloadLength())
        .setFlowKey(FlowKeys.key(p))
        .setCommunityId(COMMUNITY_ID.get().of(p));
    if (p.hasTcp()) {
      b.setTcp(
          TcpInfo.newBuilder()
              .setFlags(p.tcpFlags())
              .setSeq(p.tcpSeq())
              .setAck(p.tcpAck())
              .setWindow(p.tcpWindow())
              .setMss(p.tcpMss())
              .setWscale(p.tcpWscale())
              .setSackPermitted(p.tcpSackPermitted())
              .setSackBlocks(p.tcpSackBlocks())
              .setTsVal(p.tcpTsVal())
              .setTsEcr(p.tcpTsEcr())
              .build());
    }
    if (p.hasIcmp()) {
      b.setIcmp(
          IcmpInfo.newBuilder()
              .setType(p.icmpType())
              .setCode(p.icmpCode())
              .setId(p.icmpId())
              .setSeq(p.icmpSeq())
              .setMtu(p.icmpMtu())
              .setQuoted(p.hasQuoted() ? fiveTuple(p.quoted()) : null)
              .setQuotedInner(p.hasQuotedInner() ? fiveTuple(p.quotedInner()) : null)
              .setQuotedIpId(p.quotedIpId())
              .setQuotedLength(p.quotedLength())
              .build());
    }
    if (p.hasDns()) {
      b.setDns(
          DnsInfo.newBuilder()
              .setId(p.dnsId())
              .setQr(p.dnsQr())
              .setOpcode(p.dnsOpcode())
              .setRcode(p.dnsRcode())
              .setQdcount(p.dnsQdcount())
              .setAncount(p.dnsAncount())
              .build());
    }
    return b.build();
  }

  /** An Avro 5-tuple from a decoded one. */
  public static FiveTuple fiveTuple(Tuple t) {
    return FiveTuple.newBuilder()
        .setIpVersion(t.ipVersion())
        .setSrc(t.src().toString())
        .setDst(t.dst().toString())
        .setProto(t.proto())
        .setSport(t.sport())
        .setDport(t.dport())
        .build();
  }

  /** The canonical flow key of an Avro 5-tuple (see {@link FlowKeys}). */
  public static String flowKeyOf(FiveTuple t) {
    return FlowKeys.key(t);
  }

  /**
   * The Kafka partition key of a packet: for an ICMP error with a quoted packet, the quoted flow's
   * canonical key (so the error lands in the partition of the flow it is about); otherwise the
   * packet's own flow key; null when the packet has no IP header.
   */
  public static String partitionKey(DecodedPacket p) {
    if (p.hasIcmp() && p.hasQuoted()) {
      return FlowKeys.key(p.quoted());
    }
    return FlowKeys.key(p);
  }
}
