package io.hoptrace.schema;

import java.util.List;
import java.util.Map;

/** Typical records of each type, as the sensor and the detection job write them. */
final class Fixtures {

  private Fixtures() {}

  /** A VXLAN-encapsulated TCP ACK seen on a node's uplink. */
  static PacketSummary vxlanTcpSummary() {
    return PacketSummary.newBuilder()
        .setNode("node-a")
        .setIface("ens33")
        .setRole(InterfaceRole.UPLINK)
        .setDirection(CaptureDirection.OUTBOUND)
        .setIfIndex(2)
        .setTsNanos(1_732_000_000_123_456_789L)
        .setWireLength(124)
        .setCapturedLength(124)
        .setEncap(
            List.of(
                EncapLayer.newBuilder()
                    .setType(EncapType.VXLAN)
                    .setOuterSrc("192.168.232.128")
                    .setOuterDst("192.168.232.130")
                    .setOuterSport(43512)
                    .setOuterDport(8472)
                    .setVni(1)
                    .setOuterTtl(64)
                    .setOuterDf(true)
                    .setOuterLength(110)
                    .build()))
        .setIpVersion(4)
        .setSrc("10.244.0.5")
        .setDst("10.244.1.7")
        .setProto(6)
        .setSport(51234)
        .setDport(8080)
        .setTtl(63)
        .setIpId(4242)
        .setDf(true)
        .setIpLength(60)
        .setPayloadLength(8)
        .setTcp(
            TcpInfo.newBuilder()
                .setFlags(0x18)
                .setSeq(3_000_000_001L)
                .setAck(1_234_567_890L)
                .setWindow(502)
                .setTsVal(123456)
                .setTsEcr(654321)
                .build())
        .setFlowKey("6|10.244.0.5|51234|10.244.1.7|8080")
        .setFlowDirection(FlowDirection.A_TO_B)
        .setCommunityId("1:LQU9qZlK+B5F3KDmev6m5PMibrg=")
        .setFingerprint(0x1234_5678_9abc_def0L)
        .build();
  }

  /**
   * The same TCP segment seen inside the sending pod: no encapsulation (most hops look like this).
   */
  static PacketSummary podTcpSummary() {
    return PacketSummary.newBuilder(vxlanTcpSummary())
        .setIface("eth0")
        .setPod("web-7d9c4b8f6-x2x9q")
        .setRole(InterfaceRole.POD)
        .setEncap(List.of())
        .setTtl(64)
        .build();
  }

  /** The same TCP segment on the pod's host-side veth: no pod name, no encapsulation. */
  static PacketSummary vethTcpSummary() {
    return PacketSummary.newBuilder(podTcpSummary())
        .setIface("veth3f2a1b9c")
        .setPod(null)
        .setRole(InterfaceRole.VETH)
        .build();
  }

  /** An ICMP frag-needed quoting a VXLAN datagram, with DNS left empty. */
  static PacketSummary icmpFragNeeded() {
    FiveTuple quoted =
        FiveTuple.newBuilder()
            .setSrc("192.168.232.128")
            .setDst("192.168.232.130")
            .setProto(17)
            .setSport(43512)
            .setDport(8472)
            .build();
    return PacketSummary.newBuilder(vxlanTcpSummary())
        .setEncap(List.of())
        .setProto(1)
        .setSport(-1)
        .setDport(-1)
        .setTcp(null)
        .setIcmp(
            IcmpInfo.newBuilder()
                .setType(3)
                .setCode(4)
                .setMtu(1400)
                .setQuoted(quoted)
                .setQuotedLength(1450)
                .build())
        .build();
  }

  static PacketSummary dnsResponse() {
    return PacketSummary.newBuilder(vxlanTcpSummary())
        .setProto(17)
        .setDport(53)
        .setTcp(null)
        .setDns(DnsInfo.newBuilder().setId(777).setQr(true).setRcode(3).setQdcount(1).build())
        .setStatus("TRUNCATED_DNS")
        .setVlans(List.of(100, 200))
        .build();
  }

  static NodeInventory inventory() {
    return NodeInventory.newBuilder()
        .setNode("node-a")
        .setTsNanos(1_732_000_000_000_000_000L)
        .setAddresses(List.of("192.168.232.128"))
        .setPodCidr("10.244.0.0/24")
        .setInterfaces(
            List.of(
                InterfaceInfo.newBuilder()
                    .setName("flannel.1")
                    .setIndex(5)
                    .setRole(InterfaceRole.VTEP)
                    .setKind("vxlan")
                    .setMtu(1450)
                    .setAddresses(List.of("10.244.0.0/32"))
                    .build(),
                InterfaceInfo.newBuilder()
                    .setName("ens33")
                    .setRole(InterfaceRole.UPLINK)
                    .setMtu(1500)
                    .build()))
        .setVteps(
            List.of(
                VtepInfo.newBuilder()
                    .setDevice("flannel.1")
                    .setVni(1)
                    .setLocal("192.168.232.128")
                    .setFdb(
                        List.of(
                            FdbEntry.newBuilder()
                                .setMac("ca:fe:0a:f4:01:00")
                                .setDst("192.168.232.130")
                                .build()))
                    .setNeighbors(
                        List.of(
                            NeighborEntry.newBuilder()
                                .setIp("10.244.1.0")
                                .setMac("ca:fe:0a:f4:01:00")
                                .build()))
                    .build()))
        .setRoutes(
            List.of(
                RouteInfo.newBuilder()
                    .setDst("10.244.1.0/24")
                    .setVia("10.244.1.0")
                    .setDev("flannel.1")
                    .setOnlink(true)
                    .build()))
        .build();
  }

  static FlowRecord flow() {
    return FlowRecord.newBuilder()
        .setConversationId("c-42")
        .setTuples(
            List.of(
                FiveTuple.newBuilder()
                    .setSrc("10.244.0.5")
                    .setDst("10.96.0.10")
                    .setProto(6)
                    .setSport(51234)
                    .setDport(80)
                    .build(),
                FiveTuple.newBuilder()
                    .setSrc("10.244.0.5")
                    .setDst("10.244.1.7")
                    .setProto(6)
                    .setSport(51234)
                    .setDport(8080)
                    .build()))
        .setCommunityIds(List.of("1:abc="))
        .setHops(
            List.of(
                HopStats.newBuilder()
                    .setHop("node-a/pod-a1/eth0")
                    .setNode("node-a")
                    .setRole(InterfaceRole.POD)
                    .setFwdPackets(3)
                    .setFwdBytes(180)
                    .setFwdRetransmissions(2)
                    .build()))
        .setFirstSeen(1_000)
        .setLastSeen(2_000)
        .setTcpState("S")
        .setVerdict("ONE_WAY")
        .setFinal$(true)
        .build();
  }

  static Alert alert() {
    return Alert.newBuilder()
        .setId("a-1")
        .setType(AlertType.ONE_WAY)
        .setSeverity(Severity.CRITICAL)
        .setStatus(AlertStatus.FIRING)
        .setFirstSeen(1_000)
        .setLastSeen(2_000)
        .setSubject(
            AlertSubject.newBuilder()
                .setKind("FLOW")
                .setSrc("10.244.0.5")
                .setDst("10.244.1.7")
                .setProto(6)
                .setSport(51234)
                .setDport(8080)
                .build())
        .setLostAt(
            LostAt.newBuilder()
                .setAfter("node-a/ens33")
                .setBefore("node-b/ens33")
                .setDirection("forward")
                .build())
        .setCount(3)
        .setHint("VXLAN (UDP 8472) from 192.168.232.128 never reaches 192.168.232.130")
        .setEvidence(
            Evidence.newBuilder()
                .setHopsSeen(List.of("node-a/ens33"))
                .setHopsMissing(List.of("node-b/ens33"))
                .setCounts(Map.of("packets", 3L))
                .setFacts(Map.of("port", "8472"))
                .build())
        .setCommunityIds(List.of("1:abc="))
        .build();
  }

  static KernelDrop kernelDrop() {
    return KernelDrop.newBuilder()
        .setNode("node-b")
        .setHop("node-b/ens33")
        .setIface("ens33")
        .setRole(InterfaceRole.UPLINK)
        .setNetns(4026532500L)
        .setReasonCode(12)
        .setReason("NETFILTER_DROP")
        .setCount(14)
        .setIntervalStartNanos(1_000_000_000L)
        .setIntervalEndNanos(2_000_000_000L)
        .setFlowKey("6|10.244.0.5|51234|10.244.1.7|8080")
        .setFlow(
            FiveTuple.newBuilder()
                .setSrc("10.244.0.5")
                .setDst("10.244.1.7")
                .setProto(6)
                .setSport(51234)
                .setDport(8080)
                .build())
        .setEncapType(EncapType.VXLAN)
        .setOuter(
            FiveTuple.newBuilder()
                .setSrc("192.168.232.128")
                .setDst("192.168.232.130")
                .setProto(17)
                .setSport(40000)
                .setDport(8472)
                .build())
        .build();
  }

  static Alert alertWithDropReason() {
    Alert a = alert();
    a.setDropReason(
        DropReason.newBuilder()
            .setReason("NETFILTER_DROP")
            .setCode(12)
            .setHop("node-b/ens33")
            .setCount(14)
            .build());
    return a;
  }
}
