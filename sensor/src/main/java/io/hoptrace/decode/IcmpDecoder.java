package io.hoptrace.decode;

import static io.hoptrace.decode.DecodeStatus.OK;
import static io.hoptrace.decode.DecodeStatus.TRUNCATED_ICMP;

import org.agrona.DirectBuffer;

/**
 * ICMP (RFC 792) and ICMPv6 (RFC 4443) messages: type and code, echo identifier and sequence, the
 * next-hop MTU of "fragmentation needed" / "packet too big", and for errors the quoted packet
 * ({@link QuotedPacketDecoder}).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |     Type      |     Code      |          Checksum             |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Identifier / unused / MTU    |  Sequence / unused / MTU      |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  echo data, or (errors) the quoted IP packet ...
 * </pre>
 *
 * <p>The port fields of the flow key are {@link IcmpKeyPorts}'. Allocates nothing; not thread-safe:
 * owned by one {@link PacketDecoder}.
 */
final class IcmpDecoder {
  private final IcmpHeader icmp = new IcmpHeader();
  private final Icmpv6Header icmp6 = new Icmpv6Header();
  private final QuotedPacketDecoder quoted;

  IcmpDecoder(QuotedPacketDecoder quoted) {
    this.quoted = quoted;
  }

  DecodeStatus icmp4(DirectBuffer buf, int q, int qEnd, int l4Len, DecodedPacket out) {
    int avail = Math.max(0, qEnd - q);
    if (avail < 2) {
      return TRUNCATED_ICMP;
    }
    icmp.wrap(buf, q, avail);
    DecodedPacket o = out;
    int type = icmp.type();
    int code = icmp.code();
    o.hasIcmp = true;
    o.icmpType = type;
    o.icmpCode = code;
    boolean query = IcmpHeader.hasIdentifier(type);
    if (!query) {
      o.sport = IcmpKeyPorts.sport4(type, code, 0);
      o.dport = IcmpKeyPorts.dport4(type, code, 0);
    }
    if (avail < IcmpHeader.LENGTH) {
      return TRUNCATED_ICMP;
    }
    o.payloadLength = Math.max(0, l4Len - IcmpHeader.LENGTH);
    o.setPayload(q + IcmpHeader.LENGTH, qEnd, o.payloadLength);
    if (query) {
      o.icmpId = icmp.identifier();
      o.icmpSeq = icmp.sequence();
      o.sport = IcmpKeyPorts.sport4(type, code, o.icmpId);
      o.dport = IcmpKeyPorts.dport4(type, code, o.icmpId);
    } else if (IcmpHeader.isError(type)) {
      if (type == IcmpHeader.DEST_UNREACHABLE && code == IcmpHeader.CODE_FRAG_NEEDED) {
        o.icmpMtu = icmp.nextHopMtu();
      }
      quoted.decode(buf, q + IcmpHeader.LENGTH, qEnd, o);
    }
    return OK;
  }

  DecodeStatus icmp6(DirectBuffer buf, int q, int qEnd, int l4Len, DecodedPacket out) {
    int avail = Math.max(0, qEnd - q);
    if (avail < 2) {
      return TRUNCATED_ICMP;
    }
    icmp6.wrap(buf, q, avail);
    DecodedPacket o = out;
    int type = icmp6.type();
    int code = icmp6.code();
    o.hasIcmp = true;
    o.icmpType = type;
    o.icmpCode = code;
    boolean echo = IcmpKeyPorts.echo6(type);
    if (!echo) {
      o.sport = IcmpKeyPorts.sport6(type, code, 0);
      o.dport = IcmpKeyPorts.dport6(type, code, 0);
    }
    if (avail < Icmpv6Header.LENGTH) {
      return TRUNCATED_ICMP;
    }
    o.payloadLength = Math.max(0, l4Len - Icmpv6Header.LENGTH);
    o.setPayload(q + Icmpv6Header.LENGTH, qEnd, o.payloadLength);
    if (echo) {
      o.icmpId = icmp6.identifier();
      o.icmpSeq = icmp6.sequence();
      o.sport = IcmpKeyPorts.sport6(type, code, o.icmpId);
      o.dport = IcmpKeyPorts.dport6(type, code, o.icmpId);
    } else if (Icmpv6Header.isError(type)) {
      if (type == Icmpv6Header.PACKET_TOO_BIG) {
        o.icmpMtu = (int) Math.min(Integer.MAX_VALUE, icmp6.mtu());
      }
      quoted.decode(buf, q + Icmpv6Header.LENGTH, qEnd, o);
    }
    return OK;
  }
}
