package io.hoptrace.decode;

import io.hoptrace.schema.EncapType;

/**
 * One encapsulation layer of a {@link DecodedPacket}: the tunnel type and the outer IP/UDP header
 * that carried it. Reused across packets (mutable, owned by the decoder).
 */
public final class EncapInfo {
  EncapType type = EncapType.UNKNOWN;
  final IpAddress outerSrc = new IpAddress();
  final IpAddress outerDst = new IpAddress();
  int outerSport = -1;
  int outerDport = -1;
  long vni = -1;
  int outerTtl = -1;
  boolean outerDf;
  int outerLength = -1;

  void reset() {
    type = EncapType.UNKNOWN;
    outerSrc.clear();
    outerDst.clear();
    outerSport = -1;
    outerDport = -1;
    vni = -1;
    outerTtl = -1;
    outerDf = false;
    outerLength = -1;
  }

  public EncapType type() {
    return type;
  }

  public IpAddress outerSrc() {
    return outerSrc;
  }

  public IpAddress outerDst() {
    return outerDst;
  }

  /** Outer UDP source port (VXLAN/Geneve), -1 for IPIP/GRE. */
  public int outerSport() {
    return outerSport;
  }

  public int outerDport() {
    return outerDport;
  }

  /** VXLAN/Geneve VNI, GRE key (PPTP: call id), or -1. */
  public long vni() {
    return vni;
  }

  public int outerTtl() {
    return outerTtl;
  }

  public boolean outerDf() {
    return outerDf;
  }

  /** Outer IP length (IPv4 total length, IPv6 payload length + 40). */
  public int outerLength() {
    return outerLength;
  }
}
