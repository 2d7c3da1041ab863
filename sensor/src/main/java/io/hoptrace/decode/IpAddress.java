package io.hoptrace.decode;

import io.hoptrace.contract.FlowKey;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.agrona.DirectBuffer;

/**
 * A reusable IPv4 or IPv6 address holder: 4 or 16 bytes in a fixed {@code byte[16]}. Setting,
 * comparing and hashing do not allocate; {@link #toString()} allocates and is for output only.
 * Ordering: no address &lt; any IPv4 &lt; any IPv6, then bytes compared unsigned; text and order
 * are those of {@link io.hoptrace.contract.IpText} (the flow key's address contract).
 */
public final class IpAddress implements Comparable<IpAddress>, FlowKey.AddressText {
  private final byte[] bytes = new byte[16];
  private int version;

  /** 4, 6, or 0 when unset. */
  public int version() {
    return version;
  }

  /** 4, 16, or 0 when unset. */
  public int length() {
    return version == 4 ? 4 : version == 6 ? 16 : 0;
  }

  public boolean isSet() {
    return version != 0;
  }

  /** Byte {@code i} (0-based, network order) as 0..255. */
  public int byteAt(int i) {
    return bytes[i] & 0xFF;
  }

  /** Copies the 4 or 16 address bytes into {@code dst} at {@code off}; returns the count. */
  public int copyTo(byte[] dst, int off) {
    int n = length();
    System.arraycopy(bytes, 0, dst, off, n);
    return n;
  }

  /** A new array with the 4 or 16 bytes (allocates). */
  public byte[] toBytes() {
    return Arrays.copyOf(bytes, length());
  }

  public void clear() {
    version = 0;
  }

  public void set(IpAddress other) {
    version = other.version;
    System.arraycopy(other.bytes, 0, bytes, 0, 16);
  }

  /** Reads a 4-byte IPv4 address at {@code offset}. */
  public void setV4(DirectBuffer buffer, int offset) {
    // one bounds-checked 4-byte read instead of getBytes (whose range checks and copyMemory call
    // cost more than the copy)
    putInt(buffer.getInt(offset, ByteOrder.BIG_ENDIAN), 0);
    version = 4;
  }

  /** Reads a 16-byte IPv6 address at {@code offset}. */
  public void setV6(DirectBuffer buffer, int offset) {
    long hi = buffer.getLong(offset, ByteOrder.BIG_ENDIAN);
    long lo = buffer.getLong(offset + 8, ByteOrder.BIG_ENDIAN);
    putInt((int) (hi >>> 32), 0);
    putInt((int) hi, 4);
    putInt((int) (lo >>> 32), 8);
    putInt((int) lo, 12);
    version = 6;
  }

  private void putInt(int v, int at) {
    bytes[at] = (byte) (v >>> 24);
    bytes[at + 1] = (byte) (v >>> 16);
    bytes[at + 2] = (byte) (v >>> 8);
    bytes[at + 3] = (byte) v;
  }

  /** Sets from 4 or 16 bytes (tests, parsing text); other lengths throw. */
  public IpAddress set(byte[] addr) {
    if (addr.length != 4 && addr.length != 16) {
      throw new IllegalArgumentException("address must be 4 or 16 bytes, got " + addr.length);
    }
    System.arraycopy(addr, 0, bytes, 0, addr.length);
    version = addr.length == 4 ? 4 : 6;
    return this;
  }

  /** The IPv4 address as an unsigned int in a long, or -1 if not IPv4. */
  public long v4AsLong() {
    if (version != 4) {
      return -1;
    }
    return ((bytes[0] & 0xFFL) << 24)
        | ((bytes[1] & 0xFF) << 16)
        | ((bytes[2] & 0xFF) << 8)
        | (bytes[3] & 0xFF);
  }

  @Override
  public int compareTo(IpAddress o) {
    if (version != o.version) {
      return Integer.compare(version, o.version);
    }
    int n = length();
    for (int i = 0; i < n; i++) {
      int c = Integer.compare(bytes[i] & 0xFF, o.bytes[i] & 0xFF);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /** Allocation-free hash of the version and address bytes. */
  public int hash() {
    int h = version;
    int n = length();
    for (int i = 0; i < n; i++) {
      h = 31 * h + bytes[i];
    }
    return h;
  }

  @Override
  public int hashCode() {
    return hash();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpAddress other && compareTo(other) == 0;
  }

  /** Dotted quad, RFC 5952 IPv6 text, or "" when unset. Allocates: output only. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(40);
    appendTo(sb);
    return sb.toString();
  }

  /** Appends the text form (see {@link #toString()}). */
  @Override
  public StringBuilder appendTo(StringBuilder sb) {
    if (version == 4) {
      appendV4(sb, 0);
    } else if (version == 6) {
      appendV6(sb);
    }
    return sb;
  }

  private void appendV4(StringBuilder sb, int from) {
    for (int i = from; i < from + 4; i++) {
      if (i > from) {
        sb.append('.');
      }
      sb.append(bytes[i] & 0xFF);
    }
  }

  private void appendV6(StringBuilder sb) {
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((bytes[2 * i] & 0xFF) << 8) | (bytes[2 * i + 1] & 0xFF);
    }
    // IPv4-mapped ::ffff:a.b.c.d (RFC 5952 section 5)
    if (g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xFFFF) {
      sb.append("::ffff:");
      appendV4(sb, 12);
      return;
    }
    // longest run (>= 2) of zero groups, first one on ties
    int bestStart = -1;
    int bestLen = 0;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen && j - i >= 2) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (i > 0 && i != bestStart + bestLen) {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
  }

  /** Parses dotted IPv4 or IPv6 text (tests/tools; allocates; not for the hot path). */
  public static IpAddress parse(String text) {
    if (text == null
        || !text.matches("[0-9a-fA-F:.]+")
        || !(text.contains(".") || text.contains(":"))) {
      throw new IllegalArgumentException("not an IP address literal: " + text);
    }
    try {
      return new IpAddress().set(java.net.InetAddress.getByName(text).getAddress());
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + text, e);
    }
  }
}
