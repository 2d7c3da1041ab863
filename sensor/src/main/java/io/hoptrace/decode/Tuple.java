package io.hoptrace.decode;

/**
 * A reusable 5-tuple (plus IP id and length) — used for the packet quoted inside an ICMP error and
 * for the tunnelled packet inside that quote. Ports follow the {@link DecodedPacket} conventions
 * (ICMP echo: id as the requester's port, 0 for the responder; other ICMP: type and code).
 */
public final class Tuple {
  boolean valid;
  final IpAddress src = new IpAddress();
  final IpAddress dst = new IpAddress();
  int proto = -1;
  int sport = -1;
  int dport = -1;
  long ipId = -1;
  int length = -1;

  void reset() {
    valid = false;
    src.clear();
    dst.clear();
    proto = -1;
    sport = -1;
    dport = -1;
    ipId = -1;
    length = -1;
  }

  /** True when at least the addresses and protocol were decoded. */
  public boolean valid() {
    return valid;
  }

  public int ipVersion() {
    return src.version();
  }

  public IpAddress src() {
    return src;
  }

  public IpAddress dst() {
    return dst;
  }

  public int proto() {
    return proto;
  }

  public int sport() {
    return sport;
  }

  public int dport() {
    return dport;
  }

  /** IPv4 identification (IPv6: fragment id if a fragment header was quoted), else -1. */
  public long ipId() {
    return ipId;
  }

  /** IP length field of the quoted packet (IPv4 total length, IPv6 payload length + 40). */
  public int length() {
    return length;
  }

  /** True if (src, sport) is the canonically lower endpoint (see {@link FlowKeys}). */
  public boolean forward() {
    return FlowKeys.isForward(src, sport, dst, dport);
  }
}
