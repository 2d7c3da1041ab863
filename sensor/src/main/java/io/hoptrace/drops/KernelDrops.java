package io.hoptrace.drops;

import io.hoptrace.capture.HopContext;
import io.hoptrace.contract.FlowKey;
import io.hoptrace.schema.EncapType;
import io.hoptrace.schema.FiveTuple;
import io.hoptrace.schema.KernelDrop;

/** A traced drop as the record published on the drops topic ({@link KernelDrop}). */
public final class KernelDrops {

  private KernelDrops() {}

  /**
   * The record of {@code d} at hop {@code hop} for the interval {@code [startNanos, endNanos]}, or
   * null when the drop has no IPv4 flow to key it by (ARP, IPv6, a non-IPv4 inner packet).
   */
  public static KernelDrop of(DropRecord d, HopContext hop, long startNanos, long endNanos) {
    DropFlow f = d.flow();
    if (f == null) {
      return null;
    }
    DropFlow outer = d.tunnel();
    return KernelDrop.newBuilder()
        .setNode(hop.node())
        .setHop(hop.id())
        .setIface(hop.iface())
        .setPod(hop.pod())
        .setRole(hop.role())
        .setNetns(d.netns())
        .setReasonCode(d.reasonCode())
        .setReason(d.reason())
        .setCount(d.count())
        .setIntervalStartNanos(startNanos)
        .setIntervalEndNanos(endNanos)
        .setFlowKey(FlowKey.key(f.proto(), f.src(), f.sport(), f.dst(), f.dport()))
        .setFlow(tuple(f))
        .setFlowDirection(FlowKey.direction(f.src(), f.sport(), f.dst(), f.dport()))
        .setEncapType(encap(d.encap()))
        .setOuter(outer == null ? null : tuple(outer))
        .build();
  }

  private static FiveTuple tuple(DropFlow f) {
    return FiveTuple.newBuilder()
        .setIpVersion(4)
        .setSrc(f.src())
        .setDst(f.dst())
        .setProto(f.proto())
        .setSport(f.sport())
        .setDport(f.dport())
        .build();
  }

  private static EncapType encap(String encap) {
    if (encap == null) {
      return null;
    }
    return switch (encap) {
      case "vxlan" -> EncapType.VXLAN;
      case "geneve" -> EncapType.GENEVE;
      case "ipip" -> EncapType.IPIP;
      default -> EncapType.UNKNOWN;
    };
  }
}
