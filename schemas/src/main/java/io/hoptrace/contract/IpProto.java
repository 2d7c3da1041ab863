package io.hoptrace.contract;

/**
 * IP protocol numbers (IANA "Assigned Internet Protocol Numbers") that hoptrace decodes or names,
 * and their names. Flow keys and the Community ID carry the number only; the name is for people and
 * ECS {@code network.transport}, which uses the IANA keyword: ICMPv6 is {@code "ipv6-icmp"} (the
 * spelling hoptrace's alerts and ECS output already used).
 */
public final class IpProto {
  public static final int ICMP = 1;
  public static final int IPIP = 4;
  public static final int TCP = 6;
  public static final int UDP = 17;
  public static final int IPV6 = 41;
  public static final int GRE = 47;
  public static final int ICMPV6 = 58;
  public static final int SCTP = 132;
  public static final int UDPLITE = 136;

  private IpProto() {}

  /**
   * The lower-case IANA keyword of the protocols hoptrace names ({@code icmp, ipip, tcp, udp, gre,
   * ipv6-icmp, sctp}), null for any other number.
   */
  public static String name(int proto) {
    return switch (proto) {
      case ICMP -> "icmp";
      case IPIP -> "ipip";
      case TCP -> "tcp";
      case UDP -> "udp";
      case GRE -> "gre";
      case ICMPV6 -> "ipv6-icmp";
      case SCTP -> "sctp";
      default -> null;
    };
  }

  /** {@link #name(int)}, or the number as text when the protocol has no name here. */
  public static String nameOrNumber(int proto) {
    String n = name(proto);
    return n != null ? n : String.valueOf(proto);
  }

  /**
   * The number of a protocol given by {@link #name(int) name} (case-insensitive; {@code icmpv6} and
   * {@code ipip}/{@code ipencap} accepted as aliases) or as a decimal number 0..255; -1 otherwise.
   */
  public static int parse(String text) {
    if (text == null || text.isEmpty()) {
      return -1;
    }
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    switch (t) {
      case "icmpv6":
        return ICMPV6;
      case "ipencap":
        return IPIP;
      default:
        break;
    }
    for (int p : new int[] {ICMP, IPIP, TCP, UDP, GRE, ICMPV6, SCTP}) {
      if (t.equals(name(p))) {
        return p;
      }
    }
    if (t.chars().allMatch(c -> c >= '0' && c <= '9') && t.length() <= 3) {
      int v = Integer.parseInt(t);
      return v <= 255 ? v : -1;
    }
    return -1;
  }

  /** ICMP or ICMPv6. */
  public static boolean isIcmp(int proto) {
    return proto == ICMP || proto == ICMPV6;
  }

  /** Protocols whose header starts with 16-bit source and destination ports (TCP, UDP, SCTP). */
  public static boolean hasPorts(int proto) {
    return proto == TCP || proto == UDP || proto == SCTP;
  }
}
