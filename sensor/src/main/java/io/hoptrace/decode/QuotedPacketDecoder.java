package io.hoptrace.decode;

import io.hoptrace.contract.IpProto;
import io.hoptrace.decode.encap.GeneveHeader;
import io.hoptrace.decode.encap.GreHeader;
import io.hoptrace.decode.encap.VxlanHeader;
import org.agrona.DirectBuffer;

/**
 * The IP packet an ICMP or ICMPv6 error quotes (RFC 792: the IP header and at least 8 bytes of what
 * follows; RFC 4443: as much as fits the minimum MTU), decoded into {@link DecodedPacket}'s quoted
 * tuples: addresses, protocol, IP id and length, and the ports when 4 bytes of the transport header
 * were quoted. A quoted VXLAN, Geneve, IP-in-IP or GRE packet is followed to its inner packet
 * ({@link DecodedPacket#quotedInner()}), so an error about an encapsulated packet names the pod
 * flow it concerns.
 *
 * <pre>
 *  ICMP error: | type | code | checksum | unused / MTU | quoted IP header | quoted L4 (>= 8 B) ...
 *                                                      ^ decode(p)
 * </pre>
 *
 * <p>Never touches the main packet's fields, never reads past {@code limit}, allocates nothing. Not
 * thread-safe: owned by one {@link PacketDecoder}.
 */
final class QuotedPacketDecoder {
  private final boolean[] vxlanPort;
  private final int genevePort;
  private final Ipv4Header qIp4 = new Ipv4Header();
  private final Ipv6Header qIp6 = new Ipv6Header();
  private final VxlanHeader vxlan = new VxlanHeader();
  private final GeneveHeader geneve = new GeneveHeader();
  private final GreHeader gre = new GreHeader();

  private DirectBuffer buf;
  private DecodedPacket out;

  /**
   * @param vxlanPort VXLAN ports (index = port), shared with the owning decoder, not copied
   * @param genevePort the Geneve port
   */
  QuotedPacketDecoder(boolean[] vxlanPort, int genevePort) {
    this.vxlanPort = vxlanPort;
    this.genevePort = genevePort;
  }

  /** Decodes the packet quoted from {@code p} to {@code limit} into {@code out}'s quoted tuples. */
  void decode(DirectBuffer buffer, int p, int limit, DecodedPacket out) {
    this.buf = buffer;
    this.out = out;
    try {
      quoted(p, limit, out.quoted, true);
    } finally {
      this.buf = null;
      this.out = null;
    }
  }

  /**
   * Decodes the IP packet quoted in an ICMP error into {@code t}: addresses, protocol, IP id and
   * length, ports when 4 bytes of the transport header were quoted. With {@code tunnels}, a quoted
   * VXLAN/Geneve/IPIP/GRE packet is followed to its inner packet ({@link
   * DecodedPacket#quotedInner()}). Never touches the main packet fields.
   */
  private void quoted(int p, int limit, Tuple t, boolean tunnels) {
    int avail = limit - p;
    if (avail < 1) {
      return;
    }
    int v = Bytes.u8(buf, p) >>> 4;
    int l4;
    boolean laterFragment;
    if (v == 4) {
      if (avail < Ipv4Header.MIN_LENGTH) {
        return;
      }
      qIp4.wrap(buf, p, avail);
      int ihl = qIp4.headerLength();
      if (ihl < Ipv4Header.MIN_LENGTH) {
        return;
      }
      qIp4.src(t.src);
      qIp4.dst(t.dst);
      t.proto = qIp4.protocol();
      t.ipId = qIp4.identification();
      t.length = qIp4.totalLength();
      t.valid = true;
      laterFragment = qIp4.fragmentOffset() != 0;
      l4 = p + ihl;
    } else if (v == 6) {
      if (avail < Ipv6Header.LENGTH) {
        return;
      }
      qIp6.wrap(buf, p, avail);
      qIp6.src(t.src);
      qIp6.dst(t.dst);
      int pl = qIp6.payloadLength();
      t.length = pl + Ipv6Header.LENGTH;
      int walk = qIp6.walkExtensions(pl != 0 ? pl + Ipv6Header.LENGTH : Integer.MAX_VALUE);
      t.proto = qIp6.upperProtocol();
      t.valid = true;
      if (qIp6.hasFragment()) {
        t.ipId = qIp6.fragmentId();
      }
      if (walk != Ipv6Header.WALK_OK) {
        return;
      }
      laterFragment = qIp6.fragmentOffset() != 0;
      l4 = p + qIp6.upperOffset();
    } else {
      return;
    }
    if (laterFragment) {
      return;
    }
    int l4Avail = limit - l4;
    switch (t.proto) {
      case IpProto.TCP:
      case IpProto.SCTP:
      case IpProto.UDPLITE:
        if (l4Avail >= 4) {
          t.sport = Bytes.u16(buf, l4);
          t.dport = Bytes.u16(buf, l4 + 2);
        }
        return;
      case IpProto.UDP:
        if (l4Avail >= 4) {
          t.sport = Bytes.u16(buf, l4);
          t.dport = Bytes.u16(buf, l4 + 2);
        }
        if (tunnels && l4Avail > UdpHeader.LENGTH) {
          quotedUdpTunnel(l4 + UdpHeader.LENGTH, limit, t.sport, t.dport);
        }
        return;
      case IpProto.ICMP:
      case IpProto.ICMPV6:
        quotedIcmpPorts(l4, l4Avail, t);
        return;
      case IpProto.IPIP:
      case IpProto.IPV6:
        if (tunnels) {
          quoted(l4, limit, out.quotedInner, false);
        }
        return;
      case IpProto.GRE:
        if (tunnels) {
          quotedGre(l4, limit);
        }
        return;
      default:
        return;
    }
  }

  private void quotedIcmpPorts(int l4, int l4Avail, Tuple t) {
    if (l4Avail < 2) {
      return;
    }
    int type = Bytes.u8(buf, l4);
    int code = Bytes.u8(buf, l4 + 1);
    boolean v4 = t.proto == IpProto.ICMP;
    boolean query = v4 ? IcmpHeader.hasIdentifier(type) : IcmpKeyPorts.echo6(type);
    if (query && l4Avail < 6) {
      return; // the identifier is cut off
    }
    int id = query ? Bytes.u16(buf, l4 + 4) : 0;
    t.sport = v4 ? IcmpKeyPorts.sport4(type, code, id) : IcmpKeyPorts.sport6(type, code, id);
    t.dport = v4 ? IcmpKeyPorts.dport4(type, code, id) : IcmpKeyPorts.dport6(type, code, id);
  }

  private void quotedUdpTunnel(int d, int limit, int sport, int dport) {
    int avail = limit - d;
    if (vxlanPort[dport] || vxlanPort[sport]) {
      int port = vxlanPort[dport] ? dport : sport;
      if (avail >= VxlanHeader.LENGTH && PacketDecoder.isVxlan(vxlan, buf, d, avail, port)) {
        quotedEthernet(d + VxlanHeader.LENGTH, limit);
      }
    } else if (dport == genevePort && avail >= GeneveHeader.MIN_LENGTH) {
      geneve.wrap(buf, d, avail);
      int hl = geneve.headerLength();
      if (geneve.version() == 0 && avail >= hl) {
        quotedTunnelPayload(geneve.protocolType(), d + hl, limit);
      }
    }
  }

  private void quotedGre(int q, int limit) {
    int avail = limit - q;
    if (avail < GreHeader.MIN_LENGTH) {
      return;
    }
    gre.wrap(buf, q, avail);
    if (!gre.isSupported() || gre.version() != 0 || avail < gre.headerLength()) {
      return;
    }
    quotedTunnelPayload(gre.protocolType(), q + gre.headerLength(), limit);
  }

  private void quotedTunnelPayload(int protocol, int p, int limit) {
    if (protocol == EthernetHeader.TYPE_TEB) {
      quotedEthernet(p, limit);
    } else if (protocol == EthernetHeader.TYPE_IPV4 || protocol == EthernetHeader.TYPE_IPV6) {
      quoted(p, limit, out.quotedInner, false);
    }
  }

  private void quotedEthernet(int p, int limit) {
    if (limit - p < EthernetHeader.LENGTH) {
      return;
    }
    int type = Bytes.u16(buf, p + EthernetHeader.ETHERTYPE_OFFSET);
    p += EthernetHeader.LENGTH;
    for (int tags = 0; VlanTag.isTpid(type) && tags < VlanTag.MAX_TAGS; tags++) {
      if (limit - p < VlanTag.LENGTH) {
        return;
      }
      type = Bytes.u16(buf, p + VlanTag.NEXT_TYPE_OFFSET);
      p += VlanTag.LENGTH;
    }
    if (type == EthernetHeader.TYPE_IPV4 || type == EthernetHeader.TYPE_IPV6) {
      quoted(p, limit, out.quotedInner, false);
    }
  }
}
