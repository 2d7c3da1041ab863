package io.hoptrace.drops;

/**
 * One direction of an IPv4 flow as the dropped packet carried it: IANA protocol number, addresses,
 * ports (-1 when not TCP or UDP).
 */
public record DropFlow(int proto, String src, String dst, int sport, int dport) {

  /** The protocol's name for the common ones, else its number. */
  public String protoName() {
    return switch (proto) {
      case 1 -> "icmp";
      case 4 -> "ipip";
      case 6 -> "tcp";
      case 17 -> "udp";
      case 47 -> "gre";
      case 58 -> "icmpv6";
      default -> Integer.toString(proto);
    };
  }
}
