package io.hoptrace.capture;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds pcapng bytes block by block, in either byte order, for reader tests. */
final class PcapngBuilder {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private ByteOrder order = ByteOrder.LITTLE_ENDIAN;

  PcapngBuilder section(ByteOrder o) {
    order = o;
    ByteBuffer b = body(16);
    b.putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1L);
    return block(0x0A0D0D0A, b);
  }

  /** An IDB; tsresol < 0 leaves the option out; name null leaves it out. */
  PcapngBuilder idb(int linkType, int snaplen, String name, int tsresol, Long tsoffset) {
    ByteBuffer b = body(256);
    b.putShort((short) linkType).putShort((short) 0).putInt(snaplen);
    if (name != null) {
      byte[] n = name.getBytes(StandardCharsets.UTF_8);
      b.putShort((short) 2).putShort((short) n.length).put(n);
      pad(b, n.length);
    }
    if (tsresol >= 0) {
      b.putShort((short) 9).putShort((short) 1).put((byte) tsresol);
      pad(b, 1);
    }
    if (tsoffset != null) {
      b.putShort((short) 14).putShort((short) 8).putLong(tsoffset);
    }
    b.putShort((short) 0).putShort((short) 0);
    return block(1, b);
  }

  PcapngBuilder epb(int iface, long units, byte[] data, int wireLen) {
    ByteBuffer b = body(32 + data.length);
    b.putInt(iface).putInt((int) (units >>> 32)).putInt((int) units);
    b.putInt(data.length).putInt(wireLen).put(data);
    pad(b, data.length);
    return block(6, b);
  }

  PcapngBuilder opb(int iface, long units, byte[] data, int wireLen) {
    ByteBuffer b = body(32 + data.length);
    b.putShort((short) iface).putShort((short) 0).putInt((int) (units >>> 32)).putInt((int) units);
    b.putInt(data.length).putInt(wireLen).put(data);
    pad(b, data.length);
    return block(2, b);
  }

  PcapngBuilder spb(byte[] data, int wireLen) {
    ByteBuffer b = body(8 + data.length);
    b.putInt(wireLen).put(data);
    pad(b, data.length);
    return block(3, b);
  }

  PcapngBuilder raw(int type, int bodyLength) {
    ByteBuffer b = body(bodyLength);
    b.position(bodyLength);
    return block(type, b);
  }

  /** Appends bytes as they are (to build broken files). */
  PcapngBuilder bytes(byte[] raw) {
    out.writeBytes(raw);
    return this;
  }

  byte[] build() {
    return out.toByteArray();
  }

  private ByteBuffer body(int cap) {
    return ByteBuffer.allocate(cap + 8).order(order);
  }

  private static void pad(ByteBuffer b, int len) {
    for (int i = len; (i & 3) != 0; i++) {
      b.put((byte) 0);
    }
  }

  private PcapngBuilder block(int type, ByteBuffer body) {
    int len = body.position() + 12;
    ByteBuffer b = ByteBuffer.allocate(len).order(order);
    b.putInt(type).putInt(len).put(body.array(), 0, body.position()).putInt(len);
    out.writeBytes(b.array());
    return this;
  }
}
