package io.hoptrace.decode;

import io.hoptrace.schema.CaptureDirection;

/**
 * The decoded headers of one packet: mutable, reset by {@link PacketDecoder#decode} and reused for
 * every packet (copy what you keep). The timestamp is not here: the capture passes it alongside.
 *
 * <p><b>Innermost packet.</b> The IP fields ({@link #src()}, {@link #proto()}, {@link #sport()},
 * ...) describe the last IP packet whose fixed header was decoded: for a VXLAN datagram, the packet
 * inside the tunnel; the outer headers are in {@link #encap(int)}. Absent numbers are -1.
 *
 * <p><b>Flow endpoints of ICMP.</b> For ICMP/ICMPv6 echo (and ICMPv4 timestamp/information/mask)
 * requests {@code sport} is the ICMP identifier and {@code dport} is 0; for the replies {@code
 * sport} is 0 and {@code dport} is the identifier. So a request and its reply share one canonical
 * flow key, and two ping sessions (different identifiers) are two flows. For every other ICMP
 * message (errors, neighbour discovery, ...) {@code sport} is the type and {@code dport} the code;
 * for errors the {@linkplain #quoted() quoted tuple} ties the message to the flow it is about.
 */
public final class DecodedPacket {
  /** Most VLAN tags recorded (outermost first, tags of inner Ethernet frames appended). */
  public static final int MAX_VLANS = 8;

  DecodeStatus status = DecodeStatus.OK;
  int linkType = -1;
  CaptureDirection captureDirection = CaptureDirection.UNKNOWN;
  int ifIndex = -1;
  final int[] vlans = new int[MAX_VLANS];
  int vlanCount;
  final EncapInfo[] encaps = new EncapInfo[DecoderConfig.MAX_ENCAP_DEPTH_LIMIT];
  int encapDepth;

  int ipVersion;
  final IpAddress src = new IpAddress();
  final IpAddress dst = new IpAddress();
  int proto;
  int sport;
  int dport;
  int ttl;
  long ipId;
  boolean df;
  boolean mf;
  int fragOffset;
  int ipLength;
  int payloadLength;

  boolean hasTcp;
  int tcpFlags;
  long tcpSeq;
  long tcpAck;
  int tcpWindow;
  int tcpMss;
  int tcpWscale;
  boolean tcpSackPermitted;
  int tcpSackBlocks;
  long tcpTsVal;
  long tcpTsEcr;

  boolean hasUdp;
  int udpLength;

  boolean hasIcmp;
  int icmpType;
  int icmpCode;
  int icmpId;
  int icmpSeq;
  int icmpMtu;
  final Tuple quoted = new Tuple();
  final Tuple quotedInner = new Tuple();

  boolean hasDns;
  int dnsId;
  boolean dnsQr;
  int dnsOpcode;
  int dnsRcode;
  int dnsQdcount;
  int dnsAncount;

  long fingerprint;

  /** Absolute offset of the innermost L4 payload in the decoded buffer, -1 if none. */
  int payloadOffset;

  /** Captured bytes of that payload (bounded by the IP length). */
  int payloadCaptured;

  /** The payload: from {@code from}, {@code length} bytes long, captured up to {@code end}. */
  void setPayload(int from, int end, int length) {
    payloadOffset = from;
    payloadCaptured = Math.max(0, Math.min(end - from, length));
  }

  public DecodedPacket() {
    for (int i = 0; i < encaps.length; i++) {
      encaps[i] = new EncapInfo();
    }
    reset();
  }

  /** Clears everything (called by the decoder at the start of each packet). */
  public void reset() {
    status = DecodeStatus.OK;
    linkType = -1;
    captureDirection = CaptureDirection.UNKNOWN;
    ifIndex = -1;
    vlanCount = 0;
    encapDepth = 0;
    fingerprint = 0;
    resetInner();
  }

  /** Clears the innermost-packet fields (a new IP header starts). */
  void resetInner() {
    ipVersion = 0;
    src.clear();
    dst.clear();
    proto = -1;
    sport = -1;
    dport = -1;
    ttl = -1;
    ipId = -1;
    df = false;
    mf = false;
    fragOffset = 0;
    ipLength = -1;
    payloadLength = -1;
    hasTcp = false;
    tcpFlags = 0;
    tcpSeq = -1;
    tcpAck = -1;
    tcpWindow = -1;
    tcpMss = -1;
    tcpWscale = -1;
    tcpSackPermitted = false;
    tcpSackBlocks = 0;
    tcpTsVal = -1;
    tcpTsEcr = -1;
    hasUdp = false;
    udpLength = -1;
    hasIcmp = false;
    icmpType = -1;
    icmpCode = -1;
    icmpId = -1;
    icmpSeq = -1;
    icmpMtu = -1;
    quoted.reset();
    quotedInner.reset();
    hasDns = false;
    dnsId = -1;
    dnsQr = false;
    dnsOpcode = 0;
    dnsRcode = -1;
    dnsQdcount = 0;
    dnsAncount = 0;
    payloadOffset = -1;
    payloadCaptured = 0;
  }

  void addVlan(int vid) {
    if (vlanCount < MAX_VLANS) {
      vlans[vlanCount++] = vid;
    }
  }

  public DecodeStatus status() {
    return status;
  }

  /** The link type passed to the decoder. */
  public int linkType() {
    return linkType;
  }

  /** From the SLL/SLL2 packet type; UNKNOWN for other link types. */
  public CaptureDirection captureDirection() {
    return captureDirection;
  }

  /** Interface index from SLL2, else -1. */
  public int ifIndex() {
    return ifIndex;
  }

  public int vlanCount() {
    return vlanCount;
  }

  /** VLAN id {@code i}, outermost first. */
  public int vlan(int i) {
    if (i < 0 || i >= vlanCount) {
      throw new IndexOutOfBoundsException(i);
    }
    return vlans[i];
  }

  public int encapDepth() {
    return encapDepth;
  }

  /** Encapsulation layer {@code i}, outermost first. */
  public EncapInfo encap(int i) {
    if (i < 0 || i >= encapDepth) {
      throw new IndexOutOfBoundsException(i);
    }
    return encaps[i];
  }

  /** Innermost IP version: 4, 6, or 0 when no IP header was decoded. */
  public int ipVersion() {
    return ipVersion;
  }

  public boolean hasIp() {
    return ipVersion != 0;
  }

  public IpAddress src() {
    return src;
  }

  public IpAddress dst() {
    return dst;
  }

  /** IANA protocol number of the innermost packet (after IPv6 extension headers), -1 none. */
  public int proto() {
    return proto;
  }

  /** Source port (ICMP: see class doc), -1 none (no transport header, non-first fragment). */
  public int sport() {
    return sport;
  }

  public int dport() {
    return dport;
  }

  /** TTL or hop limit. */
  public int ttl() {
    return ttl;
  }

  /** IPv4 identification, IPv6 fragment identification, or -1. */
  public long ipId() {
    return ipId;
  }

  public boolean df() {
    return df;
  }

  public boolean mf() {
    return mf;
  }

  /** Fragment offset in bytes. */
  public int fragOffset() {
    return fragOffset;
  }

  /**
   * IPv4 total length or IPv6 payload length + 40; for GSO/BIG TCP packets (length field 0 without
   * jumbo option) the length derived from the wire length.
   */
  public int ipLength() {
    return ipLength;
  }

  /** L4 payload length (TCP data, UDP data, ICMP data after the 8-byte header), -1 unknown. */
  public int payloadLength() {
    return payloadLength;
  }

  public boolean hasTcp() {
    return hasTcp;
  }

  /** FIN=1 SYN=2 RST=4 PSH=8 ACK=16 URG=32 ECE=64 CWR=128. */
  public int tcpFlags() {
    return tcpFlags;
  }

  public long tcpSeq() {
    return tcpSeq;
  }

  public long tcpAck() {
    return tcpAck;
  }

  public int tcpWindow() {
    return tcpWindow;
  }

  public int tcpMss() {
    return tcpMss;
  }

  public int tcpWscale() {
    return tcpWscale;
  }

  public boolean tcpSackPermitted() {
    return tcpSackPermitted;
  }

  public int tcpSackBlocks() {
    return tcpSackBlocks;
  }

  public long tcpTsVal() {
    return tcpTsVal;
  }

  public long tcpTsEcr() {
    return tcpTsEcr;
  }

  public boolean hasUdp() {
    return hasUdp;
  }

  /** UDP length field, -1 none. */
  public int udpLength() {
    return udpLength;
  }

  /** True for ICMP (proto 1) and ICMPv6 (58) when at least type and code were captured. */
  public boolean hasIcmp() {
    return hasIcmp;
  }

  public int icmpType() {
    return icmpType;
  }

  public int icmpCode() {
    return icmpCode;
  }

  /** Echo (and other query) identifier, -1 none. */
  public int icmpId() {
    return icmpId;
  }

  public int icmpSeq() {
    return icmpSeq;
  }

  /** Next-hop MTU of ICMP 3/4, MTU of ICMPv6 packet-too-big, else -1. */
  public int icmpMtu() {
    return icmpMtu;
  }

  /** True when an ICMP error's quoted packet had at least its addresses and protocol. */
  public boolean hasQuoted() {
    return quoted.valid;
  }

  /** The packet quoted in the ICMP error (reused holder). */
  public Tuple quoted() {
    return quoted;
  }

  public IpAddress quotedSrc() {
    return quoted.src;
  }

  public IpAddress quotedDst() {
    return quoted.dst;
  }

  public int quotedProto() {
    return quoted.proto;
  }

  public int quotedSport() {
    return quoted.sport;
  }

  public int quotedDport() {
    return quoted.dport;
  }

  public long quotedIpId() {
    return quoted.ipId;
  }

  public int quotedLength() {
    return quoted.length;
  }

  /**
   * True when the quoted packet is a tunnel datagram (VXLAN, Geneve, IPIP, GRE) and enough was
   * quoted to decode the inner packet's addresses (Linux quotes up to 576 bytes).
   */
  public boolean hasQuotedInner() {
    return quotedInner.valid;
  }

  public Tuple quotedInner() {
    return quotedInner;
  }

  public boolean hasDns() {
    return hasDns;
  }

  public int dnsId() {
    return dnsId;
  }

  /** True for a response. */
  public boolean dnsQr() {
    return dnsQr;
  }

  public int dnsOpcode() {
    return dnsOpcode;
  }

  public int dnsRcode() {
    return dnsRcode;
  }

  public int dnsQdcount() {
    return dnsQdcount;
  }

  public int dnsAncount() {
    return dnsAncount;
  }

  /** Packet fingerprint (SPEC section 4), see {@link Fingerprint}. */
  public long fingerprint() {
    return fingerprint;
  }

  /**
   * True when the source endpoint (src, sport) is the canonically lower one, i.e. the packet goes
   * A→B in its flow key; also true when there is no IP packet.
   */
  public boolean flowForward() {
    return ipVersion == 0 || FlowKeys.isForward(src, sport, dst, dport);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(128);
    sb.append(status).append(' ');
    for (int i = 0; i < encapDepth; i++) {
      EncapInfo e = encaps[i];
      sb.append('[').append(e.type).append(' ');
      e.outerSrc.appendTo(sb).append('>');
      e.outerDst.appendTo(sb).append(" vni=").append(e.vni).append("] ");
    }
    src.appendTo(sb).append(':').append(sport).append(" > ");
    dst.appendTo(sb).append(':').append(dport).append(" proto=").append(proto);
    return sb.toString();
  }
}
