package io.hoptrace.decode;

import io.hoptrace.schema.FiveTuple;

/**
 * Canonical flow keys: {@code proto|addrA|portA|addrB|portB}, where A is the lower endpoint by
 * (address, port) — addresses compared as {@link IpAddress} (IPv4 before IPv6, bytes unsigned),
 * then ports — and addresses are written as text (dotted / RFC 5952). Absent ports are written as
 * -1. A packet and its reply have the same key; {@link #isForward} tells the direction (A→B).
 * Building a key allocates: use it at publish time, not per decoded packet.
 */
public final class FlowKeys {
  private FlowKeys() {}

  /** True when (src, sport) is the lower (or an equal) endpoint: the packet goes A→B. */
  public static boolean isForward(IpAddress src, int sport, IpAddress dst, int dport) {
    int c = src.compareTo(dst);
    return c < 0 || (c == 0 && sport <= dport);
  }

  /** The canonical key for a 5-tuple. */
  public static String key(int proto, IpAddress src, int sport, IpAddress dst, int dport) {
    boolean fwd = isForward(src, sport, dst, dport);
    StringBuilder sb = new StringBuilder(64);
    sb.append(proto).append('|');
    (fwd ? src : dst).appendTo(sb).append('|').append(fwd ? sport : dport).append('|');
    (fwd ? dst : src).appendTo(sb).append('|').append(fwd ? dport : sport);
    return sb.toString();
  }

  /** The innermost packet's key, or null when it has no IP header. */
  public static String key(DecodedPacket p) {
    if (p.ipVersion() == 0) {
      return null;
    }
    return key(p.proto(), p.src(), p.sport(), p.dst(), p.dport());
  }

  /** The key of a decoded tuple (e.g. the packet quoted in an ICMP error), null if not valid. */
  public static String key(Tuple t) {
    return t.valid() ? key(t.proto(), t.src(), t.sport(), t.dst(), t.dport()) : null;
  }

  /** The key of an Avro 5-tuple (addresses parsed from their text; allocates). */
  public static String key(FiveTuple t) {
    return key(
        t.getProto(),
        IpAddress.parse(t.getSrc()),
        t.getSport(),
        IpAddress.parse(t.getDst()),
        t.getDport());
  }
}
