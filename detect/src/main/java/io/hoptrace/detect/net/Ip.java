package io.hoptrace.detect.net;

import io.hoptrace.contract.IpText;

/**
 * The detection core's name for {@link IpText}, the address text and order of the flow-key contract
 * (one definition, in the schemas module). Never resolves names.
 */
public final class Ip {
  private Ip() {}

  /** {@link IpText#parse}: an IPv4 or IPv6 literal ({@code /len} ignored) as bytes; null if not. */
  public static byte[] parse(String text) {
    return IpText.parse(text);
  }

  /** {@link IpText#canonical}. */
  public static String canonical(String text) {
    return IpText.canonical(text);
  }

  /** {@link IpText#format}. */
  public static String format(byte[] b) {
    return IpText.format(b);
  }

  /**
   * Whether a canonical address is IPv4 multicast (224.0.0.0/4), the limited broadcast
   * 255.255.255.255 or IPv6 multicast (ff00::/8). Reads the text, allocates nothing.
   */
  public static boolean isMulticastOrBroadcast(String canonical) {
    if (canonical == null || canonical.isEmpty()) {
      return false;
    }
    if (canonical.indexOf(':') >= 0) {
      return canonical.length() >= 2
          && Character.toLowerCase(canonical.charAt(0)) == 'f'
          && Character.toLowerCase(canonical.charAt(1)) == 'f';
    }
    int first = 0;
    int i = 0;
    while (i < canonical.length() && canonical.charAt(i) != '.') {
      char ch = canonical.charAt(i++);
      if (ch < '0' || ch > '9') {
        return false;
      }
      first = first * 10 + (ch - '0');
    }
    return (first >= 224 && first <= 239) || canonical.equals("255.255.255.255");
  }

  /** {@link IpText#v4}. */
  static long v4(String t) {
    return IpText.v4(t);
  }

  /** {@link IpText#compare}. */
  public static int compare(String a, String b) {
    return IpText.compare(a, b);
  }
}
