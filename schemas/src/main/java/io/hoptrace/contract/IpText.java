package io.hoptrace.contract;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * IP address text: literal parsing, canonical text (dotted quad; RFC 5952 for IPv6, with
 * IPv4-mapped addresses as {@code ::ffff:a.b.c.d}) and the canonical order of flow keys (IPv4
 * before IPv6, then bytes unsigned). The sensor's flyweight {@code IpAddress} writes and orders
 * addresses the same way (checked by the key agreement test over the reference captures). Never
 * resolves names.
 */
public final class IpText {
  private IpText() {}

  /** Parses an IPv4 or IPv6 literal (an optional {@code /len} suffix is ignored); null if not. */
  public static byte[] parse(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    int slash = text.indexOf('/');
    String t = slash >= 0 ? text.substring(0, slash) : text;
    if (t.indexOf(':') < 0) {
      return parseV4(t);
    }
    int pct = t.indexOf('%');
    if (pct >= 0) {
      t = t.substring(0, pct);
    }
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      boolean ok =
          (c >= '0' && c <= '9')
              || (c >= 'a' && c <= 'f')
              || (c >= 'A' && c <= 'F')
              || c == ':'
              || c == '.';
      if (!ok) {
        return null;
      }
    }
    try {
      return InetAddress.getByName(t).getAddress(); // a literal only: checked above
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static byte[] parseV4(String t) {
    long v = v4(t);
    if (v < 0) {
      return null;
    }
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }

  /**
   * Canonical text of an address literal (the input itself if it does not parse). An IPv4-mapped
   * IPv6 literal stays IPv6 ({@code ::ffff:a.b.c.d}), as the sensor writes it.
   */
  public static String canonical(String text) {
    if (text == null) {
      return null;
    }
    if (text.indexOf(':') < 0 && text.indexOf('/') < 0) {
      return text; // dotted quad is already canonical when it parses; keep hot path cheap
    }
    byte[] b = addressBytes(text);
    return b == null ? text : format(b);
  }

  /**
   * {@link #parse} for ordering and canonical text: an IPv6 literal always gives 16 bytes (an
   * IPv4-mapped one, which {@link InetAddress} turns into 4, is mapped back).
   */
  private static byte[] addressBytes(String text) {
    byte[] b = parse(text);
    if (b != null && b.length == 4 && text.indexOf(':') >= 0) {
      byte[] m = new byte[16];
      m[10] = (byte) 0xFF;
      m[11] = (byte) 0xFF;
      System.arraycopy(b, 0, m, 12, 4);
      return m;
    }
    return b;
  }

  /** Text of an address: dotted quad, or RFC 5952 IPv6 ({@code ::ffff:a.b.c.d} if IPv4-mapped). */
  public static String format(byte[] b) {
    if (b.length == 4) {
      return (b[0] & 0xFF) + "." + (b[1] & 0xFF) + "." + (b[2] & 0xFF) + "." + (b[3] & 0xFF);
    }
    if (isV4Mapped(b)) {
      return "::ffff:"
          + (b[12] & 0xFF)
          + "."
          + (b[13] & 0xFF)
          + "."
          + (b[14] & 0xFF)
          + "."
          + (b[15] & 0xFF);
    }
    int[] words = new int[8];
    for (int i = 0; i < 8; i++) {
      words[i] = ((b[2 * i] & 0xFF) << 8) | (b[2 * i + 1] & 0xFF);
    }
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (words[i] == 0) {
        int j = i;
        while (j < 8 && words[j] == 0) {
          j++;
        }
        if (j - i > bestLen) {
          bestStart = i;
          bestLen = j - i;
        }
        i = j;
      } else {
        i++;
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(words[i]));
    }
    return sb.toString();
  }

  private static boolean isV4Mapped(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF;
  }

  /** A dotted quad as an unsigned 32-bit value, -1 if the text is not exactly one. */
  public static long v4(String t) {
    if (t == null) {
      return -1;
    }
    long v = 0;
    int part = 0;
    int val = -1;
    int n = t.length();
    for (int i = 0; i <= n; i++) {
      char c = i < n ? t.charAt(i) : '.';
      if (c == '.') {
        if (val < 0 || part > 3) {
          return -1;
        }
        v = (v << 8) | val;
        part++;
        val = -1;
      } else if (c >= '0' && c <= '9') {
        val = (val < 0 ? 0 : val * 10) + (c - '0');
        if (val > 255) {
          return -1;
        }
      } else {
        return -1;
      }
    }
    return part == 4 ? v : -1;
  }

  /** Unsigned byte-wise comparison; IPv4 sorts before IPv6; unparsable text compares as text. */
  public static int compare(String a, String b) {
    long va = v4(a);
    if (va >= 0) {
      long vb = v4(b);
      if (vb >= 0) {
        return Long.compare(va, vb); // both dotted quads: no allocation on the per-packet path
      }
    }
    byte[] x = addressBytes(a);
    byte[] y = addressBytes(b);
    if (x == null || y == null) {
      return String.valueOf(a).compareTo(String.valueOf(b));
    }
    if (x.length != y.length) {
      return Integer.compare(x.length, y.length);
    }
    for (int i = 0; i < x.length; i++) {
      int c = Integer.compare(x[i] & 0xFF, y[i] & 0xFF);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }
}
