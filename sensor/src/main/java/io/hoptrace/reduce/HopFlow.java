package io.hoptrace.reduce;

import io.hoptrace.schema.InterfaceRole;

/** One flow key on one hop in the {@link Reducer}'s table: both directions (A to B, B to A). */
final class HopFlow extends FlowTexts {
  final String node;
  final String pod;
  final String iface;
  final InterfaceRole role;
  final int ipVersion;
  final int proto;
  final int mtu;
  final DirCounters[] dir = {new DirCounters(), new DirCounters()};
  long lastTs = -1;

  /** Both directions sent FIN, or one RST: the flow ended on this hop. */
  int finMask;

  boolean ended;

  /** Queued for the interval tick (some direction has folded packets). */
  boolean queued;

  HopFlow(
      String node,
      String pod,
      String iface,
      InterfaceRole role,
      String flowKey,
      int ipVersion,
      int proto,
      int mtu) {
    this.node = node;
    this.pod = pod;
    this.iface = iface;
    this.role = role;
    this.flowKey = flowKey;
    this.ipVersion = ipVersion;
    this.proto = proto;
    this.mtu = mtu;
  }

  boolean pending() {
    return dir[0].pending() || dir[1].pending();
  }
}
