package io.hoptrace.decode;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;

/** Unsigned big-endian reads for the flyweights (network byte order). No bounds logic here. */
public final class Bytes {
  private Bytes() {}

  public static int u8(DirectBuffer b, int i) {
    return b.getByte(i) & 0xFF;
  }

  public static int u16(DirectBuffer b, int i) {
    return b.getShort(i, ByteOrder.BIG_ENDIAN) & 0xFFFF;
  }

  public static int u24(DirectBuffer b, int i) {
    return (u8(b, i) << 16) | u16(b, i + 1);
  }

  public static long u32(DirectBuffer b, int i) {
    return b.getInt(i, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
  }
}
