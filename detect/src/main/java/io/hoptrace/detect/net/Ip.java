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

  /** {@link IpText#v4}. */
  static long v4(String t) {
    return IpText.v4(t);
  }

  /** {@link IpText#compare}. */
  public static int compare(String a, String b) {
    return IpText.compare(a, b);
  }
}
