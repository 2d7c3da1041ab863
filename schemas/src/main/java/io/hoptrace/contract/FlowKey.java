package io.hoptrace.contract;

import io.hoptrace.schema.FiveTuple;
import io.hoptrace.schema.FlowDirection;
import io.hoptrace.schema.IcmpInfo;
import java.util.Objects;

/**
 * The canonical flow key (SPEC section 4): protocol and the two (address, port) endpoints of the
 * innermost IP packet, ordered canonically, plus the direction of a packet. Its string form {@code
 * proto|addrA|portA|addrB|portB} is the Kafka key of {@code packets}, the PacketSummary's {@code
 * flowKey} and the detection core's conversation key. A packet's Kafka key and conversation are its
 * own flow's, except for the ICMP errors of {@link #keyedByQuotedFlow}, which go to the flow they
 * quote ({@link #quotedFlow}).
 *
 * <ul>
 *   <li><b>Order.</b> Endpoint A is the lower one by address ({@link IpText#compare}: IPv4 before
 *       IPv6, then bytes unsigned), then by port. A packet and its reply have the same key.
 *   <li><b>Direction.</b> A packet goes {@link FlowDirection#A_TO_B} when its (src, sport) is the
 *       lower or an equal endpoint ({@link #isAtoB(int, int, int)}), otherwise {@code B_TO_A}.
 *   <li><b>Text.</b> The protocol number in decimal; addresses as {@link IpText#canonical canonical
 *       text} (dotted quad, RFC 5952); ports in decimal, -1 ({@link #NO_PORT}) when the packet has
 *       none. Fields are separated by {@code '|'}.
 * </ul>
 *
 * <p>The string-based methods allocate. Flyweight decoders compare their addresses themselves (same
 * order) and write the key with {@link #append} into a {@link StringBuilder}, so the format and the
 * direction rule are defined here only.
 */
public final class FlowKey {
  /** Field separator of the string form. */
  public static final char SEPARATOR = '|';

  /** The port of a packet without ports. */
  public static final int NO_PORT = -1;

  private final int proto;
  private final String addrA;
  private final int portA;
  private final String addrB;
  private final int portB;
  private final String text;

  private FlowKey(int proto, String addrA, int portA, String addrB, int portB) {
    this.proto = proto;
    this.addrA = addrA;
    this.portA = portA;
    this.addrB = addrB;
    this.portB = portB;
    this.text = proto + "|" + addrA + "|" + portA + "|" + addrB + "|" + portB;
  }

  /** An address that writes its own canonical text (a decoder's reusable address holder). */
  public interface AddressText {
    /** Appends the canonical text ({@link IpText#canonical}) to {@code sb}; returns {@code sb}. */
    StringBuilder appendTo(StringBuilder sb);
  }

  // ------------------------------------------------------------------------ direction and order

  /**
   * The direction rule: given {@code addressOrder}, the sign of comparing the packet's source
   * address to its destination address (in {@link IpText#compare} order), true when the packet goes
   * A to B (its source is the lower endpoint, or the endpoints are equal).
   */
  public static boolean isAtoB(int addressOrder, int sport, int dport) {
    return addressOrder < 0 || (addressOrder == 0 && sport <= dport);
  }

  /**
   * True when (src, sport) is the canonically lower (or an equal) endpoint: the packet goes A→B.
   */
  public static boolean isAtoB(String src, int sport, String dst, int dport) {
    return isAtoB(IpText.compare(src, dst), sport, dport);
  }

  /** The direction of a packet from (src, sport) to (dst, dport) in its flow. */
  public static FlowDirection direction(String src, int sport, String dst, int dport) {
    return isAtoB(src, sport, dst, dport) ? FlowDirection.A_TO_B : FlowDirection.B_TO_A;
  }

  // ------------------------------------------------------------------------ which flow

  /**
   * Whether a packet of protocol {@code proto} and ICMP type {@code icmpType} is an ICMP error that
   * belongs to the flow it quotes (its partition key and conversation are the quoted flow's, see
   * {@link #quotedFlow}): ICMP destination unreachable (3) and time exceeded (11); ICMPv6
   * destination unreachable (1), packet too big (2) and time exceeded (3). Every other packet,
   * other ICMP errors included (redirect, parameter problem, source quench), belongs to its own
   * flow.
   */
  public static boolean keyedByQuotedFlow(int proto, int icmpType) {
    if (proto == IpProto.ICMP) {
      return icmpType == 3 || icmpType == 11;
    }
    if (proto == IpProto.ICMPV6) {
      return icmpType == 1 || icmpType == 2 || icmpType == 3;
    }
    return false;
  }

  /**
   * The flow an ICMP error is about: the innermost quoted tuple (the pod flow when the quoted
   * packet was encapsulated, e.g. VXLAN on the underlay), else the quoted tuple; null if nothing
   * was quoted.
   */
  public static FiveTuple quotedFlow(IcmpInfo icmp) {
    return icmp.getQuotedInner() != null ? icmp.getQuotedInner() : icmp.getQuoted();
  }

  // ------------------------------------------------------------------------ string form

  /**
   * Appends the string form of the key whose endpoints are already in canonical order (A first; see
   * {@link #isAtoB(int, int, int)}). Allocation-free apart from the builder's growth.
   */
  public static <T extends AddressText> StringBuilder append(
      StringBuilder sb, int proto, T addrA, int portA, T addrB, int portB) {
    sb.append(proto).append(SEPARATOR);
    addrA.appendTo(sb).append(SEPARATOR).append(portA).append(SEPARATOR);
    return addrB.appendTo(sb).append(SEPARATOR).append(portB);
  }

  /**
   * The string form of the key of a packet from (src, sport) to (dst, dport); addresses are
   * canonicalised ({@link IpText#canonical}) first.
   */
  public static String key(int proto, String src, int sport, String dst, int dport) {
    return of(proto, src, sport, dst, dport).text;
  }

  // ------------------------------------------------------------------------ value

  /** The key of a packet from (src, sport) to (dst, dport), addresses canonicalised. */
  public static FlowKey of(int proto, String src, int sport, String dst, int dport) {
    String s = IpText.canonical(src);
    String d = IpText.canonical(dst);
    return isAtoB(s, sport, d, dport)
        ? new FlowKey(proto, s, sport, d, dport)
        : new FlowKey(proto, d, dport, s, sport);
  }

  /**
   * Parses the string form. Throws {@link IllegalArgumentException} unless it has five fields,
   * numeric protocol and ports, parsable addresses in canonical text and canonical order.
   */
  public static FlowKey parse(String text) {
    Objects.requireNonNull(text, "flow key");
    String[] f = text.split("\\|", -1);
    if (f.length != 5) {
      throw new IllegalArgumentException("not a flow key (5 fields): " + text);
    }
    FlowKey k;
    try {
      int proto = Integer.parseInt(f[0]);
      int portA = Integer.parseInt(f[2]);
      int portB = Integer.parseInt(f[4]);
      if (IpText.parse(f[1]) == null || IpText.parse(f[3]) == null) {
        throw new IllegalArgumentException("not a flow key (addresses): " + text);
      }
      k = of(proto, f[1], portA, f[3], portB);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a flow key (numbers): " + text, e);
    }
    if (!k.text.equals(text)) {
      throw new IllegalArgumentException("not a canonical flow key: " + text + " (is " + k + ")");
    }
    return k;
  }

  public int proto() {
    return proto;
  }

  /** The lower endpoint's address (canonical text). */
  public String addrA() {
    return addrA;
  }

  public int portA() {
    return portA;
  }

  /** The higher endpoint's address (canonical text). */
  public String addrB() {
    return addrB;
  }

  public int portB() {
    return portB;
  }

  /** The direction of a packet from (src, sport) in this flow. */
  public FlowDirection directionOf(String src, int sport) {
    String s = IpText.canonical(src);
    return s.equals(addrA) && sport == portA ? FlowDirection.A_TO_B : FlowDirection.B_TO_A;
  }

  /** The string form {@code proto|addrA|portA|addrB|portB}. */
  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FlowKey k && k.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }
}
