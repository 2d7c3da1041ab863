package io.hoptrace.detect.state;

import java.nio.charset.StandardCharsets;

/** Reader for {@link ByteWriter} output. Throws {@link IllegalStateException} on bad input. */
public final class ByteReader {
  private final byte[] buf;
  private int pos;

  public ByteReader(byte[] buf) {
    this.buf = buf;
  }

  private void need(int n) {
    if (pos + n > buf.length) {
      throw new IllegalStateException("truncated state record at byte " + pos);
    }
  }

  /** Bytes read so far. */
  public int position() {
    return pos;
  }

  /** Skips n bytes. */
  public void skip(int n) {
    need(n);
    pos += n;
  }

  public int u8() {
    need(1);
    return buf[pos++] & 0xFF;
  }

  public boolean bool() {
    return u8() != 0;
  }

  /** Zig-zag varint, as {@code ByteWriter.varLong}. */
  public long varLong() {
    return unzigzag(uvarLong());
  }

  /** Inverse of {@code ByteWriter.zigzag}. */
  public static long unzigzag(long z) {
    return (z >>> 1) ^ -(z & 1);
  }

  /** Unsigned varint, as {@code ByteWriter.uvarLong}. */
  public long uvarLong() {
    long u = 0;
    int shift = 0;
    while (true) {
      int b = u8();
      u |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return u;
      }
      shift += 7;
      if (shift > 63) {
        throw new IllegalStateException("varint too long at byte " + pos);
      }
    }
  }

  public int varInt() {
    return (int) varLong();
  }

  public long fixedLong() {
    need(8);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (buf[pos++] & 0xFF);
    }
    return v;
  }

  public double f64() {
    return Double.longBitsToDouble(fixedLong());
  }

  public String str() {
    int len = varInt();
    if (len < 0) {
      return null;
    }
    need(len);
    String s = new String(buf, pos, len, StandardCharsets.UTF_8);
    pos += len;
    return s;
  }

  /** Element count, sanity-checked against the remaining bytes. */
  public int count() {
    int n = varInt();
    if (n < 0 || n > buf.length - pos + 1) {
      throw new IllegalStateException("bad element count " + n + " at byte " + pos);
    }
    return n;
  }

  public boolean done() {
    return pos >= buf.length;
  }
}
