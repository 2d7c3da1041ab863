package io.hoptrace.decode;

import io.hoptrace.contract.FlowKey;
import io.hoptrace.schema.FiveTuple;

/**
 * The sensor's side of the {@link FlowKey} contract: the canonical key ({@code
 * proto|addrA|portA|addrB|portB}) and direction of decoded packets, computed from the flyweight
 * {@link IpAddress} (compared and written without allocation, in {@link
 * io.hoptrace.contract.IpText}'s order and text) with the direction rule and string form of {@link
 * FlowKey}. Absent ports are written as -1. Building a key allocates its string: use it at publish
 * time, not per decoded packet.
 */
public final class FlowKeys {
  private FlowKeys() {}

  /** True when (src, sport) is the lower (or an equal) endpoint: the packet goes A→B. */
  public static boolean isForward(IpAddress src, int sport, IpAddress dst, int dport) {
    return FlowKey.isAtoB(src.compareTo(dst), sport, dport);
  }

  /** The canonical key for a 5-tuple. */
  public static String key(int proto, IpAddress src, int sport, IpAddress dst, int dport) {
    StringBuilder sb = new StringBuilder(64);
    return (isForward(src, sport, dst, dport)
            ? FlowKey.append(sb, proto, src, sport, dst, dport)
            : FlowKey.append(sb, proto, dst, dport, src, sport))
        .toString();
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
