package io.hoptrace.synth;

import static io.hoptrace.synth.PacketBuilder.PROTO_ICMP;
import static io.hoptrace.synth.PacketBuilder.PROTO_ICMPV6;

/**
 * The two ends of a conversation (IPv4 or IPv6) and the router in front of the client that sends
 * ICMP errors. Builds the IP packets of either direction.
 */
final class Hosts {
  private final boolean v6;
  private final int client4;
  private final int server4;
  private final int router4;
  private final byte[] client6;
  private final byte[] server6;
  private final byte[] router6;
  private final IpIds ids;

  /** IPv4 identification counter shared by one generator. */
  static final class IpIds {
    private int next;

    int next() {
      next = (next + 1) & 0xFFFF;
      return next;
    }
  }

  private Hosts(
      boolean v6,
      int client4,
      int server4,
      int router4,
      byte[] client6,
      byte[] server6,
      byte[] router6,
      IpIds ids) {
    this.v6 = v6;
    this.client4 = client4;
    this.server4 = server4;
    this.router4 = router4;
    this.client6 = client6;
    this.server6 = server6;
    this.router6 = router6;
    this.ids = ids;
  }

  static Hosts v4(int client, int server, int router, IpIds ids) {
    return new Hosts(false, client, server, router, null, null, null, ids);
  }

  static Hosts v6(byte[] client, byte[] server, byte[] router, IpIds ids) {
    return new Hosts(true, 0, 0, 0, client, server, router, ids);
  }

  boolean isV6() {
    return v6;
  }

  int icmpProtocol() {
    return v6 ? PROTO_ICMPV6 : PROTO_ICMP;
  }

  /** An IP packet client→server ({@code forward}) or server→client, DF set, TTL 64. */
  byte[] packet(boolean forward, int protocol, byte[] l4) {
    return packet(forward, protocol, 64, l4);
  }

  byte[] packet(boolean forward, int protocol, int ttl, byte[] l4) {
    if (v6) {
      return PacketBuilder.ipv6(
          forward ? client6 : server6, forward ? server6 : client6, protocol, ttl, 0, l4);
    }
    return PacketBuilder.ipv4(
        forward ? client4 : server4,
        forward ? server4 : client4,
        protocol,
        ttl,
        ids.next(),
        true,
        l4);
  }

  /** An ICMP/ICMPv6 message from the router to the client. */
  byte[] fromRouter(byte[] icmp) {
    if (v6) {
      return PacketBuilder.ipv6(router6, client6, PROTO_ICMPV6, 64, 0, icmp);
    }
    return PacketBuilder.ipv4(router4, client4, PROTO_ICMP, 64, ids.next(), false, icmp);
  }

  /** An ICMP/ICMPv6 message from the server to the client. */
  byte[] fromServer(byte[] icmp) {
    return packet(false, icmpProtocol(), icmp);
  }
}
