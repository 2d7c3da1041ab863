package io.hoptrace.decode;

/**
 * The port fields of an ICMP or ICMPv6 packet's flow key (SPEC section 4): queries and their
 * responses (echo; ICMPv4 timestamp, information, mask) are keyed by their identifier — the
 * request's "source port", the reply's "destination port", the other one 0, so that a request and
 * its reply share the key — and every other message by its type and code. The decoder ({@link
 * IcmpDecoder}) and the kernel drop watch ({@code io.hoptrace.drops}) both key ICMP by these.
 */
public final class IcmpKeyPorts {
  private IcmpKeyPorts() {}

  /** The key's source port of an ICMPv4 message. */
  public static int sport4(int type, int code, int identifier) {
    return IcmpHeader.hasIdentifier(type) ? (IcmpHeader.isRequest(type) ? identifier : 0) : type;
  }

  /** The key's destination port of an ICMPv4 message. */
  public static int dport4(int type, int code, int identifier) {
    return IcmpHeader.hasIdentifier(type) ? (IcmpHeader.isRequest(type) ? 0 : identifier) : code;
  }

  /** The key's source port of an ICMPv6 message. */
  public static int sport6(int type, int code, int identifier) {
    return echo6(type) ? (type == Icmpv6Header.ECHO_REQUEST ? identifier : 0) : type;
  }

  /** The key's destination port of an ICMPv6 message. */
  public static int dport6(int type, int code, int identifier) {
    return echo6(type) ? (type == Icmpv6Header.ECHO_REQUEST ? 0 : identifier) : code;
  }

  /** Whether an ICMPv6 message is keyed by its identifier: echo request and reply. */
  static boolean echo6(int type) {
    return type == Icmpv6Header.ECHO_REQUEST || type == Icmpv6Header.ECHO_REPLY;
  }
}
