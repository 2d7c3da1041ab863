package io.hoptrace.decode;

import static io.hoptrace.decode.DecodeStatus.BAD_GENEVE;
import static io.hoptrace.decode.DecodeStatus.BAD_GRE;
import static io.hoptrace.decode.DecodeStatus.BAD_IHL;
import static io.hoptrace.decode.DecodeStatus.BAD_IPV4_LENGTH;
import static io.hoptrace.decode.DecodeStatus.BAD_IPV6_EXT;
import static io.hoptrace.decode.DecodeStatus.BAD_IP_VERSION;
import static io.hoptrace.decode.DecodeStatus.BAD_TCP_OFFSET;
import static io.hoptrace.decode.DecodeStatus.BAD_UDP_LENGTH;
import static io.hoptrace.decode.DecodeStatus.FRAGMENT;
import static io.hoptrace.decode.DecodeStatus.OK;
import static io.hoptrace.decode.DecodeStatus.TOO_MANY_LAYERS;
import static io.hoptrace.decode.DecodeStatus.TOO_MANY_VLAN_TAGS;
import static io.hoptrace.decode.DecodeStatus.TRUNCATED_ENCAP;
import static io.hoptrace.decode.DecodeStatus.TRUNCATED_IPV4;
import static io.hoptrace.decode.DecodeStatus.TRUNCATED_IPV6;
import static io.hoptrace.decode.DecodeStatus.TRUNCATED_LINK;
import static io.hoptrace.decode.DecodeStatus.TRUNCATED_MPLS;
import static io.hoptrace.decode.DecodeStatus.TRUNCATED_TCP;
import static io.hoptrace.decode.DecodeStatus.TRUNCATED_UDP;
import static io.hoptrace.decode.DecodeStatus.TRUNCATED_VLAN;
import static io.hoptrace.decode.DecodeStatus.UNSUPPORTED_ETHERTYPE;
import static io.hoptrace.decode.DecodeStatus.UNSUPPORTED_LINKTYPE;

import io.hoptrace.capture.LinkType;
import io.hoptrace.contract.IpProto;
import io.hoptrace.decode.encap.ErspanHeader;
import io.hoptrace.decode.encap.GeneveHeader;
import io.hoptrace.decode.encap.GreHeader;
import io.hoptrace.decode.encap.VxlanHeader;
import io.hoptrace.schema.EncapType;
import org.agrona.DirectBuffer;

/**
 * Decodes one packet at a time into a reused {@link DecodedPacket}, walking the link layer, VLAN
 * tags, IP (with IPv6 extension headers), the transport header, and encapsulation (VXLAN, Geneve,
 * IP-in-IP, GRE incl. PPTP/PPP and ERSPAN) down to the innermost IP packet.
 *
 * <p>Not thread-safe: one decoder per capture thread. {@link #decode} allocates nothing, never
 * throws on packet bytes (every read is checked against the captured length first), and counts each
 * packet's status in {@link #counters()}.
 *
 * <p>Encapsulation: each tunnel layer pushes an {@link EncapInfo} (outer addresses, TTL, DF, length
 * and, for VXLAN/Geneve, the UDP ports) and decoding continues with the inner packet, at most
 * {@link DecoderConfig#maxEncapDepth()} layers (one more gives {@link DecodeStatus#TOO_MANY_LAYERS}
 * and the packet as decoded so far).
 *
 * <p>Length: this class is one recursive descent — link layer, IP, transport, tunnel, and back to
 * the link layer or IP of the inner packet — whose layers call each other and share the cursor
 * state (buffer, packet, wire end, shim count); split across classes, every step would pass that
 * state along. What does not recurse back lives apart: ICMP/ICMPv6 in {@link IcmpDecoder}, the
 * packet an ICMP error quotes in {@link QuotedPacketDecoder}, each header in its flyweight.
 */
public final class PacketDecoder {
  private static final int ETH_IPV4 = EthernetHeader.TYPE_IPV4;
  private static final int ETH_IPV6 = EthernetHeader.TYPE_IPV6;
  private static final int IANA_VXLAN_PORT = 4789;

  /** GRE-in-UDP (RFC 8086) destination port. */
  static final int GRE_IN_UDP_PORT = 4754;

  private static final int MAX_MPLS_LABELS = 8;
  private static final int CISCO_METADATA_LENGTH = 8;

  private final DecoderConfig config;

  /** VXLAN ports by port number: read only, shared ({@link PortTables}). */
  private final boolean[] vxlanPort;

  private final int genevePort;
  private final int maxDepth;
  private final int payloadHashBytes;
  private final DecodeCounters counters = new DecodeCounters();

  private final EthernetHeader eth = new EthernetHeader();
  private final VlanTag vlanTag = new VlanTag();
  private final SllHeader sll = new SllHeader();
  private final Sll2Header sll2 = new Sll2Header();
  private final Ipv4Header ip4 = new Ipv4Header();
  private final Ipv6Header ip6 = new Ipv6Header();
  private final TcpHeader tcp = new TcpHeader();
  private final UdpHeader udp = new UdpHeader();
  private final DnsHeader dns = new DnsHeader();
  private final VxlanHeader vxlan = new VxlanHeader();
  private final GeneveHeader geneve = new GeneveHeader();
  private final GreHeader gre = new GreHeader();
  private final ErspanHeader erspan = new ErspanHeader();
  private final IcmpDecoder icmpDecoder;

  private DirectBuffer buf;
  private DecodedPacket out;

  /** MPLS Ethernet pseudowires and Cisco MetaData shims entered in the current packet. */
  private int shims;

  private int wireEnd;

  public PacketDecoder() {
    this(DecoderConfig.defaults());
  }

  public PacketDecoder(DecoderConfig config) {
    this.config = config;
    this.vxlanPort = PortTables.of(config.vxlanPorts());
    this.genevePort = config.genevePort();
    this.maxDepth = config.maxEncapDepth();
    this.payloadHashBytes = config.payloadHashBytes();
    this.icmpDecoder = new IcmpDecoder(new QuotedPacketDecoder(vxlanPort, genevePort));
  }

  public DecoderConfig config() {
    return config;
  }

  /** This decoder's per-status counts (single writer: the decoding thread). */
  public DecodeCounters counters() {
    return counters;
  }

  /**
   * Decodes one packet.
   *
   * @param linkType LINKTYPE_ value (see {@link LinkType}); DLT 12/14 are taken as raw IP
   * @param buffer the packet bytes
   * @param offset first byte of the packet in {@code buffer}
   * @param capturedLength bytes captured; reads never go past {@code offset + capturedLength} (nor
   *     past the buffer's capacity)
   * @param wireLength bytes on the wire (used for GSO/BIG TCP packets whose IP length field is 0)
   * @param out reset and filled
   * @return the status, also stored in {@code out}
   */
  public DecodeStatus decode(
      int linkType,
      DirectBuffer buffer,
      int offset,
      int capturedLength,
      int wireLength,
      DecodedPacket out) {
    out.reset();
    out.linkType = linkType;
    shims = 0;
    this.buf = buffer;
    this.out = out;
    int cap = capturedLength;
    if (offset < 0 || offset > buffer.capacity()) {
      offset = 0;
      cap = 0;
    }
    cap = Math.max(0, Math.min(cap, buffer.capacity() - offset));
    int end = offset + cap;
    wireEnd = (int) Math.min(Integer.MAX_VALUE, (long) offset + Math.max(wireLength, cap));
    DecodeStatus s = link(LinkType.normalize(linkType), offset, end);
    out.status = s;
    out.fingerprint = Fingerprint.compute(out, buffer, payloadHashBytes);
    counters.record(s, wireLength);
    this.buf = null;
    this.out = null;
    return s;
  }

  private DecodeStatus link(int linkType, int p, int end) {
    switch (linkType) {
      case LinkType.ETHERNET:
        return ethernet(p, end, TRUNCATED_LINK);
      case LinkType.LINUX_SLL:
        return sll(p, end);
      case LinkType.LINUX_SLL2:
        return sll2(p, end);
      case LinkType.RAW:
        return rawIp(p, end);
      case LinkType.IPV4:
        return ipv4(p, end);
      case LinkType.IPV6:
        return ipv6(p, end);
      case LinkType.NULL:
      case LinkType.LOOP:
        return loopback(p, end);
      case LinkType.PPP:
      case LinkType.PPP_HDLC:
        return ppp(p, end);
      default:
        return UNSUPPORTED_LINKTYPE;
    }
  }

  // ---------------------------------------------------------------- link layers

  private DecodeStatus ethernet(int p, int limit, DecodeStatus truncated) {
    if (limit - p < EthernetHeader.LENGTH) {
      return truncated;
    }
    eth.wrap(buf, p, limit - p);
    return etherType(eth.etherType(), p + EthernetHeader.LENGTH, limit);
  }

  private DecodeStatus sll(int p, int limit) {
    int avail = limit - p;
    sll.wrap(buf, p, avail);
    if (avail >= 2) {
      out.captureDirection = SllHeader.direction(sll.packetType());
    }
    if (avail < SllHeader.LENGTH) {
      return TRUNCATED_LINK;
    }
    return etherType(sll.protocol(), p + SllHeader.LENGTH, limit);
  }

  private DecodeStatus sll2(int p, int limit) {
    int avail = limit - p;
    if (avail < Sll2Header.LENGTH) {
      return TRUNCATED_LINK;
    }
    sll2.wrap(buf, p, avail);
    out.ifIndex = sll2.ifIndex();
    out.captureDirection = SllHeader.direction(sll2.packetType());
    return etherType(sll2.protocol(), p + Sll2Header.LENGTH, limit);
  }

  private DecodeStatus rawIp(int p, int limit) {
    if (limit - p < 1) {
      return TRUNCATED_LINK;
    }
    int v = Bytes.u8(buf, p) >>> 4;
    if (v == 4) {
      return ipv4(p, limit);
    }
    if (v == 6) {
      return ipv6(p, limit);
    }
    return BAD_IP_VERSION;
  }

  /** BSD loopback: 4-byte address family in host byte order (NULL) or network order (LOOP). */
  private DecodeStatus loopback(int p, int limit) {
    if (limit - p < 4) {
      return TRUNCATED_LINK;
    }
    long af = Bytes.u32(buf, p);
    if (af > 0xFFFF) {
      af = Integer.reverseBytes((int) af) & 0xFFFF_FFFFL;
    }
    if (af == 2) {
      return ipv4(p + 4, limit);
    }
    if (af == 10 || af == 24 || af == 28 || af == 30) {
      return ipv6(p + 4, limit);
    }
    return UNSUPPORTED_ETHERTYPE;
  }

  /** Follows VLAN tags starting with {@code type}, whose payload begins at {@code p}. */
  private DecodeStatus etherType(int type, int p, int limit) {
    int tags = 0;
    while (VlanTag.isTpid(type)) {
      if (tags == VlanTag.MAX_TAGS) {
        return TOO_MANY_VLAN_TAGS;
      }
      if (limit - p < VlanTag.LENGTH) {
        return TRUNCATED_VLAN;
      }
      vlanTag.wrap(buf, p, limit - p);
      out.addVlan(vlanTag.vlanId());
      type = vlanTag.nextType();
      p += VlanTag.LENGTH;
      tags++;
    }
    switch (type) {
      case ETH_IPV4:
        return ipv4(p, limit);
      case ETH_IPV6:
        return ipv6(p, limit);
      case EthernetHeader.TYPE_PPPOE_SESSION:
        if (limit - p < 6) {
          return TRUNCATED_ENCAP;
        }
        return ppp(p + 6, limit);
      case EthernetHeader.TYPE_MPLS_UNICAST:
      case EthernetHeader.TYPE_MPLS_MULTICAST:
        return mpls(p, limit);
      case EthernetHeader.TYPE_CISCO_METADATA:
        return ciscoMetadata(p, limit);
      default:
        return UNSUPPORTED_ETHERTYPE;
    }
  }

  /**
   * MPLS label stack (RFC 3032): 4-byte entries until the bottom-of-stack bit; the payload is told
   * by its first nibble: 4 IPv4, 6 IPv6, 0 a pseudowire control word (RFC 4385) before Ethernet.
   *
   * <pre>
   *  0                   1                   2                   3
   *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
   * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   * |                Label                  | TC  |S|      TTL      |
   * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   * </pre>
   */
  private DecodeStatus mpls(int p, int limit) {
    for (int labels = 0; ; labels++) {
      if (labels == MAX_MPLS_LABELS || limit - p < 4) {
        return TRUNCATED_MPLS;
      }
      boolean bottom = (Bytes.u8(buf, p + 2) & 1) != 0;
      p += 4;
      if (bottom) {
        break;
      }
    }
    if (limit - p < 1) {
      return TRUNCATED_MPLS;
    }
    int nibble = Bytes.u8(buf, p) >>> 4;
    if (nibble == 4) {
      return ipv4(p, limit);
    }
    if (nibble == 6) {
      return ipv6(p, limit);
    }
    if (nibble == 0 && limit - p >= 4) {
      // Ethernet pseudowire: a layer like any tunnel, bounded by maxEncapDepth (no recursion bomb).
      if (++shims > maxDepth) {
        return TOO_MANY_LAYERS;
      }
      return ethernet(p + 4, limit, TRUNCATED_ENCAP);
    }
    return UNSUPPORTED_ETHERTYPE;
  }

  /** Cisco MetaData: version, length, option type/length, SGT, then the next ethertype. */
  private DecodeStatus ciscoMetadata(int p, int limit) {
    if (++shims > maxDepth) {
      return TOO_MANY_LAYERS;
    }
    if (limit - p < CISCO_METADATA_LENGTH) {
      return TRUNCATED_ENCAP;
    }
    return etherTypeOrTunnel(Bytes.u16(buf, p + 6), p + CISCO_METADATA_LENGTH, limit);
  }

  /** After a tunnel header or shim: Ethernet bridged inside, or an ethertype-announced payload. */
  private DecodeStatus etherTypeOrTunnel(int type, int p, int limit) {
    return type == EthernetHeader.TYPE_TEB
        ? ethernet(p, limit, TRUNCATED_ENCAP)
        : etherType(type, p, limit);
  }

  /** PPP: optional address/control 0xFF03, then a 1- or 2-byte protocol (RFC 1661). */
  private DecodeStatus ppp(int p, int limit) {
    if (limit - p >= 2 && Bytes.u16(buf, p) == 0xFF03) {
      p += 2;
    }
    if (limit - p < 1) {
      return TRUNCATED_ENCAP;
    }
    int proto = Bytes.u8(buf, p);
    if ((proto & 1) == 0) {
      if (limit - p < 2) {
        return TRUNCATED_ENCAP;
      }
      proto = Bytes.u16(buf, p);
      p += 2;
    } else {
      p += 1;
    }
    if (proto == 0x21) {
      return ipv4(p, limit);
    }
    if (proto == 0x57) {
      return ipv6(p, limit);
    }
    if (proto == 0x281 || proto == 0x283) {
      return mpls(p, limit);
    }
    return UNSUPPORTED_ETHERTYPE;
  }

  // ---------------------------------------------------------------- IP

  private DecodeStatus ipv4(int p, int limit) {
    int avail = limit - p;
    if (avail < 1) {
      return TRUNCATED_IPV4;
    }
    ip4.wrap(buf, p, avail);
    if (ip4.version() != 4) {
      return BAD_IP_VERSION;
    }
    if (avail < Ipv4Header.MIN_LENGTH) {
      return TRUNCATED_IPV4;
    }
    int ihl = ip4.headerLength();
    if (ihl < Ipv4Header.MIN_LENGTH) {
      return BAD_IHL;
    }
    DecodedPacket o = out;
    o.resetInner();
    o.ipVersion = 4;
    ip4.src(o.src);
    ip4.dst(o.dst);
    o.ttl = ip4.ttl();
    o.ipId = ip4.identification();
    o.df = ip4.dontFragment();
    o.mf = ip4.moreFragments();
    o.fragOffset = ip4.fragmentOffset();
    o.proto = ip4.protocol();
    int total = ip4.totalLength();
    int ipLen = total != 0 ? total : wireEnd - p; // 0: GSO / BIG TCP, length from the wire
    o.ipLength = ipLen;
    if (ipLen < ihl) {
      return BAD_IPV4_LENGTH;
    }
    if (avail < ihl) {
      return TRUNCATED_IPV4;
    }
    int l4End = (int) Math.min(limit, (long) p + ipLen);
    int l4Len = ipLen - ihl;
    if (o.fragOffset != 0) {
      o.payloadLength = l4Len;
      return FRAGMENT;
    }
    return transport(o.proto, p + ihl, l4End, l4Len);
  }

  private DecodeStatus ipv6(int p, int limit) {
    int avail = limit - p;
    if (avail < 1) {
      return TRUNCATED_IPV6;
    }
    ip6.wrap(buf, p, avail);
    if (ip6.version() != 6) {
      return BAD_IP_VERSION;
    }
    if (avail < Ipv6Header.LENGTH) {
      return TRUNCATED_IPV6;
    }
    DecodedPacket o = out;
    o.resetInner();
    o.ipVersion = 6;
    ip6.src(o.src);
    ip6.dst(o.dst);
    o.ttl = ip6.hopLimit();
    o.proto = ip6.nextHeader();
    int pl = ip6.payloadLength();
    int wireLen = Math.max(Ipv6Header.LENGTH, wireEnd - p);
    int walk = ip6.walkExtensions(pl != 0 ? pl + Ipv6Header.LENGTH : wireLen);
    o.proto = ip6.upperProtocol();
    if (ip6.hasFragment()) {
      o.ipId = ip6.fragmentId();
      o.mf = ip6.moreFragments();
      o.fragOffset = ip6.fragmentOffset();
    }
    int ipLen;
    if (pl != 0) {
      ipLen = pl + Ipv6Header.LENGTH;
    } else if (ip6.jumboLength() >= 0) {
      ipLen = (int) Math.min(Integer.MAX_VALUE / 2, ip6.jumboLength() + Ipv6Header.LENGTH);
    } else {
      ipLen = wireLen; // GSO / BIG TCP without jumbo option
    }
    o.ipLength = ipLen;
    if (walk == Ipv6Header.WALK_TRUNCATED) {
      return TRUNCATED_IPV6;
    }
    if (walk == Ipv6Header.WALK_BAD) {
      return BAD_IPV6_EXT;
    }
    int upper = ip6.upperOffset();
    int l4Len = ipLen - upper;
    if (l4Len < 0) {
      return BAD_IPV6_EXT;
    }
    if (o.fragOffset != 0) {
      o.payloadLength = l4Len;
      return FRAGMENT;
    }
    int l4End = (int) Math.min(limit, (long) p + ipLen);
    return transport(o.proto, p + upper, l4End, l4Len);
  }

  private DecodeStatus transport(int proto, int q, int qEnd, int l4Len) {
    switch (proto) {
      case IpProto.TCP:
        return tcp(q, qEnd, l4Len);
      case IpProto.UDP:
        return udp(q, qEnd, l4Len);
      case IpProto.ICMP:
        return icmpDecoder.icmp4(buf, q, qEnd, l4Len, out);
      case IpProto.ICMPV6:
        return icmpDecoder.icmp6(buf, q, qEnd, l4Len, out);
      case IpProto.IPIP:
        return ipInIp(q, qEnd, 4);
      case IpProto.IPV6:
        return ipInIp(q, qEnd, 6);
      case IpProto.GRE:
        return gre(q, qEnd);
      case IpProto.SCTP:
      case IpProto.UDPLITE:
        if (qEnd - q >= 4) {
          out.sport = Bytes.u16(buf, q);
          out.dport = Bytes.u16(buf, q + 2);
        }
        return OK;
      default:
        out.payloadLength = l4Len;
        out.setPayload(q, qEnd, l4Len);
        return OK;
    }
  }

  // ---------------------------------------------------------------- transport

  private DecodeStatus tcp(int q, int qEnd, int l4Len) {
    int avail = Math.max(0, qEnd - q);
    tcp.wrap(buf, q, avail);
    DecodedPacket o = out;
    if (avail >= 4) {
      o.sport = tcp.srcPort();
      o.dport = tcp.dstPort();
    }
    if (avail >= 8) {
      o.tcpSeq = tcp.seq();
    }
    if (avail >= 12) {
      o.tcpAck = tcp.ack();
    }
    if (avail >= 14) {
      o.hasTcp = true;
      o.tcpFlags = tcp.flags();
    }
    if (avail >= 16) {
      o.tcpWindow = tcp.window();
    }
    if (avail < TcpHeader.MIN_LENGTH) {
      return TRUNCATED_TCP;
    }
    int hl = tcp.headerLength();
    if (hl < TcpHeader.MIN_LENGTH || hl > l4Len) {
      return BAD_TCP_OFFSET;
    }
    tcp.parseOptions();
    o.tcpMss = tcp.mss();
    o.tcpWscale = tcp.windowScale();
    o.tcpSackPermitted = tcp.sackPermitted();
    o.tcpSackBlocks = tcp.sackBlocks();
    o.tcpTsVal = tcp.tsVal();
    o.tcpTsEcr = tcp.tsEcr();
    o.payloadLength = l4Len - hl;
    if (avail < hl) {
      return TRUNCATED_TCP;
    }
    o.setPayload(q + hl, qEnd, o.payloadLength);
    if ((o.sport == DnsHeader.PORT || o.dport == DnsHeader.PORT) && o.payloadLength >= 14) {
      dns(q + hl + 2, qEnd); // DNS over TCP: 2-byte length prefix
    }
    return OK;
  }

  private DecodeStatus udp(int q, int qEnd, int l4Len) {
    int avail = Math.max(0, qEnd - q);
    udp.wrap(buf, q, avail);
    DecodedPacket o = out;
    if (avail >= 4) {
      o.sport = udp.srcPort();
      o.dport = udp.dstPort();
    }
    if (avail < UdpHeader.LENGTH) {
      return TRUNCATED_UDP;
    }
    o.hasUdp = true;
    int ul = udp.datagramLength();
    o.udpLength = ul;
    if (ul != 0 && ul < UdpHeader.LENGTH) {
      return BAD_UDP_LENGTH;
    }
    int dataLen = Math.max(0, (ul != 0 ? ul : l4Len) - UdpHeader.LENGTH);
    o.payloadLength = dataLen;
    int d = q + UdpHeader.LENGTH;
    int dEnd = (int) Math.min(qEnd, (long) d + dataLen);
    o.setPayload(d, dEnd, dataLen);
    int sport = o.sport;
    int dport = o.dport;
    if (vxlanPort[dport] || vxlanPort[sport]) {
      DecodeStatus s = vxlan(d, dEnd, sport, dport, vxlanPort[dport] ? dport : sport);
      if (s != null) {
        return s;
      }
    } else if (dport == genevePort && dEnd > d) {
      return geneve(d, dEnd, sport, dport);
    } else if (dport == GRE_IN_UDP_PORT && dEnd > d) {
      return gre(d, dEnd);
    }
    if (sport == DnsHeader.PORT || dport == DnsHeader.PORT) {
      dns(d, dEnd);
    }
    return OK;
  }

  private void dns(int p, int limit) {
    if (limit - p < DnsHeader.LENGTH) {
      return;
    }
    dns.wrap(buf, p, limit - p);
    DecodedPacket o = out;
    o.hasDns = true;
    o.dnsId = dns.id();
    o.dnsQr = dns.isResponse();
    o.dnsOpcode = dns.opcode();
    o.dnsRcode = dns.rcode();
    o.dnsQdcount = dns.qdcount();
    o.dnsAncount = dns.ancount();
  }

  // ---------------------------------------------------------------- encapsulation

  private boolean pushEncap(EncapType type, int sport, int dport, long vni) {
    DecodedPacket o = out;
    if (o.encapDepth >= maxDepth) {
      return false;
    }
    EncapInfo e = o.encaps[o.encapDepth++];
    e.type = type;
    e.outerSrc.set(o.src);
    e.outerDst.set(o.dst);
    e.outerSport = sport;
    e.outerDport = dport;
    e.vni = vni;
    e.outerTtl = o.ttl;
    e.outerDf = o.df;
    e.outerLength = o.ipLength;
    return true;
  }

  /**
   * VXLAN header check for a datagram to (or from) a VXLAN port: on the IANA port 4789 the I flag
   * suffices; on other ports (8472 is shared with OTV and NAT-T) every reserved bit must be zero.
   */
  static boolean isVxlan(VxlanHeader vxlan, DirectBuffer buf, int d, int avail, int port) {
    if (avail <= 0) {
      return false;
    }
    vxlan.wrap(buf, d, avail);
    return port == IANA_VXLAN_PORT ? vxlan.vniValid() : vxlan.isStrictlyValid();
  }

  /**
   * VXLAN on a configured port ({@code port}: the destination port if configured, else the source
   * port). Returns null when the header does not validate: the datagram then stays plain UDP.
   */
  private DecodeStatus vxlan(int d, int dEnd, int sport, int dport, int port) {
    int avail = dEnd - d;
    if (!isVxlan(vxlan, buf, d, avail, port)) {
      return null;
    }
    if (avail < VxlanHeader.LENGTH) {
      return TRUNCATED_ENCAP;
    }
    if (!pushEncap(EncapType.VXLAN, sport, dport, vxlan.vni())) {
      return TOO_MANY_LAYERS;
    }
    return ethernet(d + VxlanHeader.LENGTH, dEnd, TRUNCATED_ENCAP);
  }

  private DecodeStatus geneve(int d, int dEnd, int sport, int dport) {
    int avail = dEnd - d;
    if (avail < GeneveHeader.MIN_LENGTH) {
      return TRUNCATED_ENCAP;
    }
    geneve.wrap(buf, d, avail);
    if (geneve.version() != 0) {
      return BAD_GENEVE;
    }
    if (!pushEncap(EncapType.GENEVE, sport, dport, geneve.vni())) {
      return TOO_MANY_LAYERS;
    }
    int hl = geneve.headerLength();
    if (avail < hl) {
      return TRUNCATED_ENCAP;
    }
    return tunnelPayload(geneve.protocolType(), d + hl, dEnd);
  }

  private DecodeStatus tunnelPayload(int protocol, int p, int limit) {
    return etherTypeOrTunnel(protocol, p, limit);
  }

  private DecodeStatus ipInIp(int q, int qEnd, int version) {
    if (!pushEncap(EncapType.IPIP, -1, -1, -1)) {
      return TOO_MANY_LAYERS;
    }
    return version == 4 ? ipv4(q, qEnd) : ipv6(q, qEnd);
  }

  private DecodeStatus gre(int q, int qEnd) {
    int avail = qEnd - q;
    if (avail < GreHeader.MIN_LENGTH) {
      return TRUNCATED_ENCAP;
    }
    gre.wrap(buf, q, avail);
    if (!gre.isSupported()) {
      return BAD_GRE;
    }
    int hl = gre.headerLength();
    if (avail < hl) {
      return TRUNCATED_ENCAP;
    }
    boolean pptp = gre.version() == 1;
    long key = pptp ? gre.pptpCallId() : gre.key();
    if (!pushEncap(EncapType.GRE, -1, -1, key)) {
      return TOO_MANY_LAYERS;
    }
    int p = q + hl;
    int proto = gre.protocolType();
    switch (proto) {
      case GreHeader.PROTO_PPP:
        if (pptp && gre.pptpPayloadLength() == 0) {
          return OK; // acknowledgement only
        }
        return ppp(p, qEnd);
      case GreHeader.PROTO_ERSPAN_2:
        if (!gre.hasSequence()) {
          return ethernet(p, qEnd, TRUNCATED_ENCAP); // ERSPAN type I: no header
        }
        return erspan(p, qEnd);
      case GreHeader.PROTO_ERSPAN_3:
        return erspan(p, qEnd);
      case EthernetHeader.TYPE_CISCO_METADATA:
        // Inside GRE the CMD shim carries the payload's ethertype first (then version, length,
        // option, SGT), unlike the Ethernet form where it comes last.
        if (qEnd - p < CISCO_METADATA_LENGTH) {
          return TRUNCATED_ENCAP;
        }
        return etherTypeOrTunnel(Bytes.u16(buf, p), p + CISCO_METADATA_LENGTH, qEnd);
      default:
        return tunnelPayload(proto, p, qEnd);
    }
  }

  private DecodeStatus erspan(int p, int limit) {
    int avail = limit - p;
    if (avail < 1) {
      return TRUNCATED_ENCAP;
    }
    erspan.wrap(buf, p, avail);
    int hl = erspan.headerLength();
    if (hl < 0) {
      return BAD_GRE;
    }
    if (avail < hl) {
      return TRUNCATED_ENCAP;
    }
    return ethernet(p + hl, limit, TRUNCATED_ENCAP);
  }
}
