package io.hoptrace.synth;

import io.hoptrace.synth.PacketBuilder.Underlay;

/**
 * Turns an IP packet of one direction into the captured frame: plain Ethernet, VLAN-tagged, or
 * tunnelled between two nodes (VXLAN, Geneve, IP-in-IP, GRE) as the node's uplink would see it.
 */
interface Encapsulation {

  byte[] frame(byte[] ipPacket, boolean forward);

  /** Plain Ethernet between two MACs, optionally with 802.1Q tags (two tags: QinQ). */
  static Encapsulation ethernet(long clientMac, long serverMac, int... vlanIds) {
    return (ip, fwd) ->
        PacketBuilder.ethernetIp(
            fwd ? serverMac : clientMac, fwd ? clientMac : serverMac, ip, vlanIds);
  }

  /** VXLAN on {@code port} (8472 flannel, 4789 IANA) between two nodes, pod MACs inside. */
  static Encapsulation vxlan(
      Underlay nodes, long clientPodMac, long serverPodMac, int port, int vni, Hosts.IpIds ids) {
    Encapsulation inner = ethernet(clientPodMac, serverPodMac);
    return (ip, fwd) ->
        PacketBuilder.vxlanFrame(
            fwd ? nodes : nodes.reverse(), port, vni, ids.next(), inner.frame(ip, fwd));
  }

  /** Geneve (6081) with one 8-byte option, carrying Ethernet. */
  static Encapsulation geneve(
      Underlay nodes, long clientPodMac, long serverPodMac, int vni, Hosts.IpIds ids) {
    Encapsulation inner = ethernet(clientPodMac, serverPodMac);
    byte[] option = PacketBuilder.geneveOption(0x0102, 0x80, new byte[] {0, 0, 0, 1});
    return (ip, fwd) ->
        PacketBuilder.geneveFrame(
            fwd ? nodes : nodes.reverse(), vni, option, ids.next(), inner.frame(ip, fwd));
  }

  /** IPv4 or IPv6 packets in IPv4 (Calico's tunl0, sit). */
  static Encapsulation ipip(Underlay nodes, Hosts.IpIds ids) {
    return (ip, fwd) -> PacketBuilder.ipipFrame(fwd ? nodes : nodes.reverse(), ids.next(), ip);
  }

  /** Plain GRE carrying IP. */
  static Encapsulation gre(Underlay nodes, Hosts.IpIds ids) {
    return (ip, fwd) ->
        PacketBuilder.greFrame(
            fwd ? nodes : nodes.reverse(),
            ids.next(),
            PacketBuilder.gre(PacketBuilder.ipEtherType(ip), ip));
  }

  /** GRE with key and sequence number carrying Ethernet (transparent Ethernet bridging). */
  static Encapsulation greBridged(
      Underlay nodes, long clientPodMac, long serverPodMac, int key, Hosts.IpIds ids) {
    Encapsulation inner = ethernet(clientPodMac, serverPodMac);
    int[] sequence = {0};
    return (ip, fwd) ->
        PacketBuilder.greFrame(
            fwd ? nodes : nodes.reverse(),
            ids.next(),
            PacketBuilder.greKeyed(
                PacketBuilder.ETH_TEB, key, ++sequence[0], inner.frame(ip, fwd)));
  }
}
