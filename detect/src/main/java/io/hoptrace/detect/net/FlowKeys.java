package io.hoptrace.detect.net;

/**
 * Canonical flow keys {@code proto|addrA|portA|addrB|portB}, A being the lower endpoint (address
 * compared byte-wise, then port), the same text the sensor publishes.
 */
public final class FlowKeys {
  private FlowKeys() {}

  /** True when (src, sport) is the canonically lower endpoint, i.e. the packet goes A to B. */
  public static boolean isAtoB(String src, int sport, String dst, int dport) {
    int c = Ip.compare(src, dst);
    return c < 0 || (c == 0 && sport <= dport);
  }

  public static String key(int proto, String src, int sport, String dst, int dport) {
    String s = Ip.canonical(src);
    String d = Ip.canonical(dst);
    if (isAtoB(s, sport, d, dport)) {
      return proto + "|" + s + "|" + sport + "|" + d + "|" + dport;
    }
    return proto + "|" + d + "|" + dport + "|" + s + "|" + sport;
  }

  /** Protocol name for messages and ECS {@code network.transport}. */
  public static String protoName(int proto) {
    return switch (proto) {
      case 1 -> "icmp";
      case 6 -> "tcp";
      case 17 -> "udp";
      case 58 -> "ipv6-icmp";
      case 132 -> "sctp";
      case 47 -> "gre";
      case 4 -> "ipip";
      default -> String.valueOf(proto);
    };
  }
}
