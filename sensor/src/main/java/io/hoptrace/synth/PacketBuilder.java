package io.hoptrace.synth;

import io.hoptrace.contract.IpProto;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Builds wire-correct frames as {@code byte[]}, innermost layer first: {@code ethernet(.., ipv4(..,
 * tcp(..)))}. IPv4 header checksums are always filled; TCP, UDP, ICMP and ICMPv6 checksums are
 * filled by the enclosing {@link #ipv4} / {@link #ipv6} call (it knows the pseudo-header). Tunnel
 * helpers send the outer UDP checksum as 0, like Linux VXLAN/Geneve over IPv4 by default.
 *
 * <p>IPv4 addresses are {@code int}s, IPv6 addresses 16-byte arrays, MACs the low 48 bits of a
 * {@code long}. Ethernet frames are padded to the 60-byte minimum (FCS not included).
 */
public final class PacketBuilder {

  public static final int ETH_IPV4 = 0x0800;
  public static final int ETH_IPV6 = 0x86DD;
  public static final int ETH_VLAN = 0x8100;
  public static final int ETH_QINQ = 0x88A8;

  /** Transparent Ethernet bridging: an Ethernet frame inside GRE or Geneve. */
  public static final int ETH_TEB = 0x6558;

  public static final int PROTO_ICMP = IpProto.ICMP;
  public static final int PROTO_IPIP = IpProto.IPIP;
  public static final int PROTO_TCP = IpProto.TCP;
  public static final int PROTO_UDP = IpProto.UDP;
  public static final int PROTO_IPV6 = IpProto.IPV6;
  public static final int PROTO_GRE = IpProto.GRE;
  public static final int PROTO_ICMPV6 = IpProto.ICMPV6;

  public static final int FIN = 0x01;
  public static final int SYN = 0x02;
  public static final int RST = 0x04;
  public static final int PSH = 0x08;
  public static final int ACK = 0x10;

  public static final int VXLAN_PORT_FLANNEL = 8472;
  public static final int VXLAN_PORT_IANA = 4789;
  public static final int GENEVE_PORT = 6081;

  /** Linux quotes as much of the offending packet as fits in 576 bytes (RFC 1812). */
  public static final int ICMP_QUOTE_MAX = 576 - 20 - 8;

  /** ICMPv6 errors must fit in the IPv6 minimum MTU, 1280 bytes (RFC 4443). */
  public static final int ICMPV6_QUOTE_MAX = 1280 - 40 - 8;

  private static final int MIN_FRAME = 60;
  private static final int EPHEMERAL_LOW = 32768;
  private static final int EPHEMERAL_HIGH = 61000;

  private PacketBuilder() {}

  /** The outer path of a tunnelled or plain frame: MACs and addresses of one direction. */
  public record Underlay(long srcMac, long dstMac, int srcIp, int dstIp) {
    public Underlay reverse() {
      return new Underlay(dstMac, srcMac, dstIp, srcIp);
    }
  }

  // ---------------------------------------------------------------- layer 2

  /**
   * An Ethernet frame; {@code vlanIds} outermost first. With two or more tags the outermost uses
   * TPID 0x88a8 (802.1ad QinQ), the others 0x8100.
   */
  public static byte[] ethernet(
      long dstMac, long srcMac, int etherType, byte[] payload, int... vlanIds) {
    int len = 14 + 4 * vlanIds.length + payload.length;
    ByteBuffer b = ByteBuffer.wrap(new byte[Math.max(len, MIN_FRAME)]);
    putMac(b, dstMac);
    putMac(b, srcMac);
    for (int i = 0; i < vlanIds.length; i++) {
      b.putShort((short) (vlanIds.length > 1 && i == 0 ? ETH_QINQ : ETH_VLAN));
      b.putShort((short) (vlanIds[i] & 0x0FFF));
    }
    b.putShort((short) etherType).put(payload);
    return b.array();
  }

  /** Ethernet frame around an IP packet, the EtherType told by its version nibble. */
  public static byte[] ethernetIp(long dstMac, long srcMac, byte[] ipPacket, int... vlanIds) {
    return ethernet(dstMac, srcMac, ipEtherType(ipPacket), ipPacket, vlanIds);
  }

  // ---------------------------------------------------------------- layer 3

  /** IPv4 packet with a 20-byte header; fills the header and the TCP/UDP/ICMP checksum. */
  public static byte[] ipv4(
      int src, int dst, int protocol, int ttl, int id, boolean df, byte[] payload) {
    return ipv4(src, dst, protocol, ttl, id, df ? 0x4000 : 0, payload, true);
  }

  /**
   * A non-first or first fragment: {@code offsetBytes} (multiple of 8) and MF. The L4 checksum is
   * not touched (it covers the reassembled datagram).
   */
  public static byte[] ipv4Fragment(
      int src, int dst, int protocol, int ttl, int id, int offsetBytes, boolean more, byte[] part) {
    int flagsFrag = (more ? 0x2000 : 0) | ((offsetBytes >>> 3) & 0x1FFF);
    return ipv4(src, dst, protocol, ttl, id, flagsFrag, part, false);
  }

  /**
   * IPv4 packet; {@code l4Checksum} false leaves the payload untouched (e.g. a tunnel's outer UDP
   * checksum 0).
   */
  public static byte[] ipv4(
      int src,
      int dst,
      int protocol,
      int ttl,
      int id,
      int flagsAndFragment,
      byte[] payload,
      boolean l4Checksum) {
    ByteBuffer b = ByteBuffer.wrap(new byte[20 + payload.length]);
    b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + payload.length));
    b.putShort((short) id).putShort((short) flagsAndFragment);
    b.put((byte) ttl).put((byte) protocol).putShort((short) 0);
    b.putInt(src).putInt(dst).put(payload);
    byte[] p = b.array();
    putShort(p, 10, checksum(p, 0, 20, 0));
    if (l4Checksum) {
      long pseudo = sum16(src >>> 16) + sum16(src) + sum16(dst >>> 16) + sum16(dst);
      pseudo += protocol + payload.length;
      fillL4Checksum(p, 20, protocol, protocol == PROTO_ICMP ? 0 : pseudo);
    }
    return p;
  }

  /** IPv6 packet without extension headers; fills the TCP/UDP/ICMPv6 checksum. */
  public static byte[] ipv6(
      byte[] src, byte[] dst, int nextHeader, int hopLimit, int flowLabel, byte[] payload) {
    ByteBuffer b = ByteBuffer.wrap(new byte[40 + payload.length]);
    b.putInt(0x60000000 | (flowLabel & 0xFFFFF)).putShort((short) payload.length);
    b.put((byte) nextHeader).put((byte) hopLimit).put(src).put(dst).put(payload);
    byte[] p = b.array();
    long pseudo = sumBytes(src, 0, 16) + sumBytes(dst, 0, 16) + payload.length + nextHeader;
    fillL4Checksum(p, 40, nextHeader, pseudo);
    return p;
  }

  // ---------------------------------------------------------------- layer 4

  /** TCP segment (checksum filled by the IP layer); {@code options} from {@link TcpOptions}. */
  public static byte[] tcp(
      int sport,
      int dport,
      long seq,
      long ack,
      int flags,
      int window,
      byte[] options,
      byte[] payload) {
    if (options.length % 4 != 0 || options.length > 40) {
      throw new IllegalArgumentException("TCP options must be padded to 4 bytes, max 40");
    }
    int hl = 20 + options.length;
    ByteBuffer b = ByteBuffer.wrap(new byte[hl + payload.length]);
    b.putShort((short) sport).putShort((short) dport).putInt((int) seq).putInt((int) ack);
    b.put((byte) ((hl / 4) << 4)).put((byte) flags).putShort((short) window);
    b.putShort((short) 0).putShort((short) 0).put(options).put(payload);
    return b.array();
  }

  /** UDP datagram (checksum filled by the IP layer when asked, else 0). */
  public static byte[] udp(int sport, int dport, byte[] payload) {
    ByteBuffer b = ByteBuffer.wrap(new byte[8 + payload.length]);
    b.putShort((short) sport).putShort((short) dport).putShort((short) (8 + payload.length));
    return b.putShort((short) 0).put(payload).array();
  }

  /** TCP options, in the order added, padded with EOL to a multiple of 4. */
  public static final class TcpOptions {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public TcpOptions mss(int mss) {
      return raw(2, 4, mss >>> 8, mss);
    }

    public TcpOptions sackPermitted() {
      return raw(4, 2);
    }

    public TcpOptions windowScale(int shift) {
      return raw(3, 3, shift);
    }

    public TcpOptions nop() {
      return raw(1);
    }

    public TcpOptions timestamps(long tsVal, long tsEcr) {
      raw(8, 10);
      putInt32(tsVal);
      putInt32(tsEcr);
      return this;
    }

    /** SACK blocks as (left, right) pairs. */
    public TcpOptions sack(long... edges) {
      raw(5, 2 + 4 * edges.length);
      for (long e : edges) {
        putInt32(e);
      }
      return this;
    }

    public byte[] build() {
      while (out.size() % 4 != 0) {
        out.write(0);
      }
      return out.toByteArray();
    }

    private TcpOptions raw(int... bytes) {
      for (int v : bytes) {
        out.write(v);
      }
      return this;
    }

    private void putInt32(long v) {
      raw((int) (v >>> 24), (int) (v >>> 16), (int) (v >>> 8), (int) v);
    }
  }

  /** What Linux puts in a SYN: MSS, SACK-permitted, timestamps, NOP, window scale (20 bytes). */
  public static byte[] linuxSynOptions(int mss, int windowScale, long tsVal, long tsEcr) {
    return new TcpOptions()
        .mss(mss)
        .sackPermitted()
        .timestamps(tsVal, tsEcr)
        .nop()
        .windowScale(windowScale)
        .build();
  }

  /** What Linux puts in every later segment: NOP, NOP, timestamps (12 bytes). */
  public static byte[] linuxTimestampOptions(long tsVal, long tsEcr) {
    return new TcpOptions().nop().nop().timestamps(tsVal, tsEcr).build();
  }

  // ---------------------------------------------------------------- ICMP

  public static byte[] icmpEcho(boolean request, int id, int seq, byte[] data) {
    return icmpMessage(request ? 8 : 0, 0, (id << 16) | (seq & 0xFFFF), data);
  }

  /**
   * ICMP error quoting {@code quotedIpPacket} (its IP header and as much of the rest as Linux
   * would: {@link #ICMP_QUOTE_MAX} bytes in all).
   */
  public static byte[] icmpError(int type, int code, int restOfHeader, byte[] quotedIpPacket) {
    return icmpMessage(type, code, restOfHeader, quote(quotedIpPacket, ICMP_QUOTE_MAX));
  }

  /** Destination unreachable (type 3), e.g. code 1 host, 3 port. */
  public static byte[] icmpUnreachable(int code, byte[] quotedIpPacket) {
    return icmpError(3, code, 0, quotedIpPacket);
  }

  /** Fragmentation needed and DF set (type 3 code 4) with the next-hop MTU. */
  public static byte[] icmpFragNeeded(int nextHopMtu, byte[] quotedIpPacket) {
    return icmpError(3, 4, nextHopMtu & 0xFFFF, quotedIpPacket);
  }

  /** Time exceeded in transit (type 11 code 0). */
  public static byte[] icmpTimeExceeded(byte[] quotedIpPacket) {
    return icmpError(11, 0, 0, quotedIpPacket);
  }

  public static byte[] icmpv6Echo(boolean request, int id, int seq, byte[] data) {
    return icmpMessage(request ? 128 : 129, 0, (id << 16) | (seq & 0xFFFF), data);
  }

  /** ICMPv6 packet too big (type 2) with the MTU, quoting the offending packet. */
  public static byte[] icmpv6PacketTooBig(int mtu, byte[] quotedIpv6Packet) {
    return icmpMessage(2, 0, mtu, quote(quotedIpv6Packet, ICMPV6_QUOTE_MAX));
  }

  /** ICMPv6 time exceeded (type 3 code 0: hop limit exceeded in transit). */
  public static byte[] icmpv6TimeExceeded(byte[] quotedIpv6Packet) {
    return icmpMessage(3, 0, 0, quote(quotedIpv6Packet, ICMPV6_QUOTE_MAX));
  }

  /** ICMPv6 destination unreachable (type 1), e.g. code 4 port unreachable. */
  public static byte[] icmpv6Unreachable(int code, byte[] quotedIpv6Packet) {
    return icmpMessage(1, code, 0, quote(quotedIpv6Packet, ICMPV6_QUOTE_MAX));
  }

  private static byte[] icmpMessage(int type, int code, int rest, byte[] body) {
    ByteBuffer b = ByteBuffer.wrap(new byte[8 + body.length]);
    b.put((byte) type).put((byte) code).putShort((short) 0).putInt(rest).put(body);
    return b.array();
  }

  private static byte[] quote(byte[] packet, int max) {
    return packet.length <= max ? packet : java.util.Arrays.copyOf(packet, max);
  }

  // ---------------------------------------------------------------- DNS

  /** A DNS query with recursion desired and one question. */
  public static byte[] dnsQuery(int id, String qname, int qtype) {
    return dns(id, 0x0100, qname, qtype, new int[0]);
  }

  /** A DNS response (QR, RD, RA, {@code rcode}) echoing the question with A answers. */
  public static byte[] dnsResponse(int id, int rcode, String qname, int qtype, int... aRecords) {
    return dns(id, 0x8180 | (rcode & 0xF), qname, qtype, aRecords);
  }

  private static byte[] dns(int id, int flags, String qname, int qtype, int[] answers) {
    ByteArrayOutputStream q = new ByteArrayOutputStream();
    for (String label : qname.split("\\.")) {
      byte[] l = label.getBytes(StandardCharsets.US_ASCII);
      q.write(l.length);
      q.writeBytes(l);
    }
    q.write(0);
    byte[] name = q.toByteArray();
    ByteBuffer b = ByteBuffer.wrap(new byte[12 + name.length + 4 + 16 * answers.length]);
    b.putShort((short) id).putShort((short) flags).putShort((short) 1);
    b.putShort((short) answers.length).putShort((short) 0).putShort((short) 0);
    b.put(name).putShort((short) qtype).putShort((short) 1);
    for (int a : answers) {
      b.putShort((short) 0xC00C).putShort((short) 1).putShort((short) 1).putInt(30);
      b.putShort((short) 4).putInt(a);
    }
    return b.array();
  }

  // ---------------------------------------------------------------- encapsulation

  /** VXLAN header (flags I, 24-bit VNI) followed by the inner Ethernet frame. */
  public static byte[] vxlan(int vni, byte[] innerFrame) {
    ByteBuffer b = ByteBuffer.wrap(new byte[8 + innerFrame.length]);
    return b.putInt(0x08000000).putInt(vni << 8).put(innerFrame).array();
  }

  /** A Geneve TLV option; data padded to 4 bytes. */
  public static byte[] geneveOption(int optionClass, int type, byte[] data) {
    int words = (data.length + 3) / 4;
    ByteBuffer b = ByteBuffer.wrap(new byte[4 + 4 * words]);
    b.putShort((short) optionClass).put((byte) type).put((byte) (words & 0x1F));
    return b.put(data).array();
  }

  /** Geneve header with options (multiple of 4 bytes) before the inner payload. */
  public static byte[] geneve(int vni, int protocolType, byte[] options, byte[] inner) {
    ByteBuffer b = ByteBuffer.wrap(new byte[8 + options.length + inner.length]);
    b.put((byte) ((options.length / 4) & 0x3F)).put((byte) 0).putShort((short) protocolType);
    return b.putInt(vni << 8).put(options).put(inner).array();
  }

  /** GRE without optional fields. */
  public static byte[] gre(int protocolType, byte[] inner) {
    ByteBuffer b = ByteBuffer.wrap(new byte[4 + inner.length]);
    return b.putShort((short) 0).putShort((short) protocolType).put(inner).array();
  }

  /** GRE with key (K) and sequence number (S). */
  public static byte[] greKeyed(int protocolType, int key, int sequence, byte[] inner) {
    ByteBuffer b = ByteBuffer.wrap(new byte[12 + inner.length]);
    b.putShort((short) 0x3000).putShort((short) protocolType);
    return b.putInt(key).putInt(sequence).put(inner).array();
  }

  /**
   * The outer UDP source port Linux would pick for a tunnelled frame: a hash of the inner flow
   * (addresses, protocol, ports, in this direction) scaled into the ephemeral range like {@code
   * udp_flow_src_port}.
   */
  public static int tunnelSourcePort(byte[] innerFrame) {
    int h = flowHash(innerFrame);
    h ^= h << 16;
    return (int) (((h & 0xFFFFFFFFL) * (EPHEMERAL_HIGH - EPHEMERAL_LOW)) >>> 32) + EPHEMERAL_LOW;
  }

  /** Complete frame: inner Ethernet frame in VXLAN on {@code dstPort} over IPv4. */
  public static byte[] vxlanFrame(Underlay u, int dstPort, int vni, int ipId, byte[] innerFrame) {
    byte[] udp = udp(tunnelSourcePort(innerFrame), dstPort, vxlan(vni, innerFrame));
    return ethernet(
        u.dstMac(),
        u.srcMac(),
        ETH_IPV4,
        ipv4(u.srcIp(), u.dstIp(), PROTO_UDP, 64, ipId, 0, udp, false));
  }

  /** Complete frame: inner Ethernet frame in Geneve (port 6081) with one option, over IPv4. */
  public static byte[] geneveFrame(
      Underlay u, int vni, byte[] option, int ipId, byte[] innerFrame) {
    byte[] udp =
        udp(tunnelSourcePort(innerFrame), GENEVE_PORT, geneve(vni, ETH_TEB, option, innerFrame));
    return ethernet(
        u.dstMac(),
        u.srcMac(),
        ETH_IPV4,
        ipv4(u.srcIp(), u.dstIp(), PROTO_UDP, 64, ipId, 0, udp, false));
  }

  /** Complete frame: IPv4 or IPv6 packet in IPv4 (4in4 protocol 4, 6in4 protocol 41). */
  public static byte[] ipipFrame(Underlay u, int ipId, byte[] innerIpPacket) {
    int proto = ipVersion(innerIpPacket) == 6 ? PROTO_IPV6 : PROTO_IPIP;
    return ethernet(
        u.dstMac(),
        u.srcMac(),
        ETH_IPV4,
        ipv4(u.srcIp(), u.dstIp(), proto, 64, ipId, false, innerIpPacket));
  }

  /** Complete frame: GRE over IPv4 carrying {@code inner} of {@code protocolType}. */
  public static byte[] greFrame(Underlay u, int ipId, byte[] greMessage) {
    return ethernet(
        u.dstMac(),
        u.srcMac(),
        ETH_IPV4,
        ipv4(u.srcIp(), u.dstIp(), PROTO_GRE, 64, ipId, false, greMessage));
  }

  // ---------------------------------------------------------------- payload and helpers

  /** Deterministic pseudo-random bytes. */
  public static byte[] payload(long seed, int length) {
    byte[] p = new byte[length];
    new SplittableRandom(seed).nextBytes(p);
    return p;
  }

  /** IPv4 address from dotted text, e.g. {@code ip4("10.244.1.5")}. */
  public static int ip4(String dotted) {
    String[] parts = dotted.split("\\.");
    int v = 0;
    for (String p : parts) {
      v = (v << 8) | Integer.parseInt(p);
    }
    return v;
  }

  /** IPv6 address: a 64-bit prefix and a 64-bit interface id. */
  public static byte[] ip6(long prefix, long interfaceId) {
    return ByteBuffer.allocate(16).putLong(prefix).putLong(interfaceId).array();
  }

  public static int ipVersion(byte[] ipPacket) {
    return (ipPacket[0] & 0xFF) >>> 4;
  }

  public static int ipEtherType(byte[] ipPacket) {
    return ipVersion(ipPacket) == 6 ? ETH_IPV6 : ETH_IPV4;
  }

  /** Internet checksum of {@code len} bytes plus an initial partial sum. */
  public static int checksum(byte[] b, int off, int len, long initial) {
    long sum = initial + sumBytes(b, off, len);
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xFFFF) + (sum >>> 16);
    }
    return (int) (~sum & 0xFFFF);
  }

  private static void fillL4Checksum(byte[] p, int off, int protocol, long pseudo) {
    int at =
        switch (protocol) {
          case PROTO_TCP -> 16;
          case PROTO_UDP -> 6;
          case PROTO_ICMP, PROTO_ICMPV6 -> 2;
          default -> -1;
        };
    if (at < 0 || p.length - off < at + 2) {
      return;
    }
    putShort(p, off + at, 0);
    int c = checksum(p, off, p.length - off, pseudo);
    putShort(p, off + at, protocol == PROTO_UDP && c == 0 ? 0xFFFF : c);
  }

  private static long sumBytes(byte[] b, int off, int len) {
    long sum = 0;
    int i = off;
    for (; i + 1 < off + len; i += 2) {
      sum += ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }
    if (i < off + len) {
      sum += (b[i] & 0xFF) << 8;
    }
    return sum;
  }

  private static long sum16(int v) {
    return v & 0xFFFF;
  }

  private static void putShort(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 8);
    b[at + 1] = (byte) v;
  }

  private static void putMac(ByteBuffer b, long mac) {
    b.putShort((short) (mac >>> 32)).putInt((int) mac);
  }

  /** Hash of an untagged inner Ethernet frame's addresses, protocol and ports (or its MACs). */
  private static int flowHash(byte[] frame) {
    ByteBuffer b = ByteBuffer.wrap(frame);
    int etherType = b.getShort(12) & 0xFFFF;
    int h = 0x9E3779B9;
    int l4;
    int proto;
    if (etherType == ETH_IPV4 && frame.length >= 34) {
      h = mix(mix(h, b.getInt(26)), b.getInt(30));
      proto = frame[23] & 0xFF;
      l4 = 14 + (frame[14] & 0x0F) * 4;
    } else if (etherType == ETH_IPV6 && frame.length >= 54) {
      for (int i = 22; i < 54; i += 4) {
        h = mix(h, b.getInt(i));
      }
      proto = frame[20] & 0xFF;
      l4 = 54;
    } else {
      return mix(mix(h, b.getInt(0)), b.getInt(6));
    }
    h = mix(h, proto);
    if ((proto == PROTO_TCP || proto == PROTO_UDP) && frame.length >= l4 + 4) {
      h = mix(h, b.getInt(l4));
    }
    return h;
  }

  private static int mix(int h, int v) {
    h ^= v * 0xCC9E2D51;
    h = Integer.rotateLeft(h, 13) * 5 + 0xE6546B64;
    h ^= h >>> 16;
    return h * 0x85EBCA6B;
  }
}
