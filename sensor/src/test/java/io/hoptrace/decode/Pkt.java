package io.hoptrace.decode;

import io.hoptrace.capture.LinkType;
import java.io.ByteArrayOutputStream;
import org.agrona.concurrent.UnsafeBuffer;

/** Test packet builder: each method returns one header (plus payload) as bytes. */
final class Pkt {
  private Pkt() {}

  /** Parses hex with optional spaces ("45 00 00 54"). */
  static byte[] hex(String s) {
    String h = s.replaceAll("\\s+", "");
    byte[] b = new byte[h.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
    }
    return b;
  }

  static byte[] cat(byte[]... parts) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      o.writeBytes(p);
    }
    return o.toByteArray();
  }

  static byte[] u16(int v) {
    return new byte[] {(byte) (v >>> 8), (byte) v};
  }

  static byte[] u32(long v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }

  static byte[] addr(String a) {
    return IpAddress.parse(a).toBytes();
  }

  static byte[] eth(int etherType, byte[] payload) {
    return cat(hex("02 00 00 00 00 02 02 00 00 00 00 01"), u16(etherType), payload);
  }

  /** A VLAN tag: TPID then TCI, to be followed by the next type. */
  static byte[] tag(int tpid, int vid) {
    return cat(u16(tpid), u16(vid));
  }

  static byte[] ethTagged(byte[] tags, int etherType, byte[] payload) {
    return cat(hex("02 00 00 00 00 02 02 00 00 00 00 01"), tags, u16(etherType), payload);
  }

  static byte[] ipv4(String src, String dst, int proto, byte[] payload) {
    return ipv4(src, dst, proto, 64, 0x1234, 0x4000, payload);
  }

  static byte[] ipv4(
      String src, String dst, int proto, int ttl, int id, int flagsFrag, byte[] payload) {
    return cat(
        hex("45 00"),
        u16(20 + payload.length),
        u16(id),
        u16(flagsFrag),
        new byte[] {(byte) ttl, (byte) proto},
        hex("00 00"),
        addr(src),
        addr(dst),
        payload);
  }

  static byte[] ipv6(String src, String dst, int nextHeader, byte[] payload) {
    return ipv6(src, dst, nextHeader, 64, payload);
  }

  static byte[] ipv6(String src, String dst, int nextHeader, int hop, byte[] payload) {
    return cat(
        hex("60 00 00 00"),
        u16(payload.length),
        new byte[] {(byte) nextHeader, (byte) hop},
        addr(src),
        addr(dst),
        payload);
  }

  static byte[] tcp(
      int sport, int dport, long seq, long ack, int flags, byte[] options, byte[] data) {
    int hl = 20 + options.length;
    return cat(
        u16(sport),
        u16(dport),
        u32(seq),
        u32(ack),
        new byte[] {(byte) ((hl / 4) << 4), (byte) flags},
        u16(64240),
        hex("00 00 00 00"),
        options,
        data);
  }

  static byte[] tcp(int sport, int dport, long seq, long ack, int flags) {
    return tcp(sport, dport, seq, ack, flags, new byte[0], new byte[0]);
  }

  static byte[] udp(int sport, int dport, byte[] payload) {
    return cat(u16(sport), u16(dport), u16(8 + payload.length), hex("00 00"), payload);
  }

  static byte[] icmpEcho(int type, int id, int seq, byte[] data) {
    return cat(new byte[] {(byte) type, 0}, hex("00 00"), u16(id), u16(seq), data);
  }

  static byte[] vxlan(int vni, byte[] frame) {
    return cat(hex("08 00 00 00"), u32((long) vni << 8), frame);
  }

  static UnsafeBuffer buf(byte[] b) {
    return new UnsafeBuffer(b);
  }

  /** Decodes an Ethernet frame with a fresh default decoder. */
  static DecodedPacket decodeEth(byte[] frame) {
    return decode(LinkType.ETHERNET, frame);
  }

  static DecodedPacket decode(int linkType, byte[] pkt) {
    DecodedPacket p = new DecodedPacket();
    new PacketDecoder().decode(linkType, buf(pkt), 0, pkt.length, pkt.length, p);
    return p;
  }
}
