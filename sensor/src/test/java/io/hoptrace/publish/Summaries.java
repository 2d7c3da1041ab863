package io.hoptrace.publish;

import io.hoptrace.schema.FlowDirection;
import io.hoptrace.schema.InterfaceInfo;
import io.hoptrace.schema.InterfaceRole;
import io.hoptrace.schema.NodeInventory;
import io.hoptrace.schema.PacketSummary;
import io.hoptrace.schema.TcpInfo;
import java.util.List;

/** Packet summaries and inventories for publisher tests. */
final class Summaries {

  private Summaries() {}

  /** Canonical flow key of conversation {@code flow}. */
  static String flowKey(int flow) {
    return "6|10.244.0." + (flow % 250 + 2) + "|" + (40000 + flow) + "|10.244.1.7|8080";
  }

  /** Packet {@code seq} of conversation {@code flow}, seen on {@code node}. */
  static PacketSummary tcp(String node, int flow, int seq) {
    return PacketSummary.newBuilder()
        .setNode(node)
        .setIface("eth0")
        .setRole(InterfaceRole.POD)
        .setTsNanos(1_700_000_000_000_000_000L + seq)
        .setWireLength(66)
        .setCapturedLength(66)
        .setIpVersion(4)
        .setSrc("10.244.0." + (flow % 250 + 2))
        .setDst("10.244.1.7")
        .setProto(6)
        .setSport(40000 + flow)
        .setDport(8080)
        .setTcp(TcpInfo.newBuilder().setFlags(0x10).setSeq(seq).setAck(1).setWindow(500).build())
        .setFlowKey(flowKey(flow))
        .setFlowDirection(FlowDirection.A_TO_B)
        .setFingerprint(seq)
        .build();
  }

  static NodeInventory inventory(String node, int mtu) {
    return NodeInventory.newBuilder()
        .setNode(node)
        .setTsNanos(mtu)
        .setInterfaces(
            List.of(
                InterfaceInfo.newBuilder()
                    .setName("flannel.1")
                    .setRole(InterfaceRole.VTEP)
                    .setMtu(mtu)
                    .build()))
        .build();
  }
}
