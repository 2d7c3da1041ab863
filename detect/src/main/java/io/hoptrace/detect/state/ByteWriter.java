package io.hoptrace.detect.state;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Growable little byte writer with varints, used by the state codecs. */
public final class ByteWriter {
  private byte[] buf;
  private int pos;

  public ByteWriter(int initial) {
    buf = new byte[Math.max(16, initial)];
  }

  private void ensure(int n) {
    if (pos + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
    }
  }

  public ByteWriter u8(int v) {
    ensure(1);
    buf[pos++] = (byte) v;
    return this;
  }

  public ByteWriter bool(boolean v) {
    return u8(v ? 1 : 0);
  }

  /** Zig-zag varint, so -1 ("absent") costs one byte. */
  public ByteWriter varLong(long v) {
    return uvarLong(zigzag(v));
  }

  /** Zig-zag mapping: small magnitudes of either sign to small unsigned values. */
  public static long zigzag(long v) {
    return (v << 1) ^ (v >> 63);
  }

  /** Unsigned varint (7 bits a byte, low group first). */
  public ByteWriter uvarLong(long u) {
    ensure(10);
    while ((u & ~0x7FL) != 0) {
      buf[pos++] = (byte) ((u & 0x7F) | 0x80);
      u >>>= 7;
    }
    buf[pos++] = (byte) u;
    return this;
  }

  public ByteWriter varInt(int v) {
    return varLong(v);
  }

  public ByteWriter fixedLong(long v) {
    ensure(8);
    for (int i = 7; i >= 0; i--) {
      buf[pos++] = (byte) (v >>> (i * 8));
    }
    return this;
  }

  public ByteWriter f64(double v) {
    return fixedLong(Double.doubleToRawLongBits(v));
  }

  /** Nullable string. */
  public ByteWriter str(String s) {
    if (s == null) {
      return varInt(-1);
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    varInt(b.length);
    ensure(b.length);
    System.arraycopy(b, 0, buf, pos, b.length);
    pos += b.length;
    return this;
  }

  /** Bytes written so far. */
  public int position() {
    return pos;
  }

  /**
   * Inserts, at {@code start}, the unsigned varint length of what was written since {@code start}
   * (a length-prefixed section written before its length is known).
   */
  public ByteWriter insertLength(int start) {
    long len = pos - start;
    int n = 1;
    for (long u = len; (u & ~0x7FL) != 0; u >>>= 7) {
      n++;
    }
    ensure(n);
    System.arraycopy(buf, start, buf, start + n, pos - start);
    int end = pos;
    pos = start;
    uvarLong(len);
    pos = end + n;
    return this;
  }

  public byte[] toBytes() {
    return Arrays.copyOf(buf, pos);
  }
}
