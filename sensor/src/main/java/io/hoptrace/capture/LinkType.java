package io.hoptrace.capture;

/** The LINKTYPE_ values (tcpdump.org/linktypes.html) hoptrace decodes. */
public final class LinkType {
  /** BSD loopback: 4-byte host-order address family. */
  public static final int NULL = 0;

  public static final int ETHERNET = 1;

  /** PPP (RFC 1661), optionally with HDLC-like address/control bytes 0xFF03. */
  public static final int PPP = 9;

  /** PPP in HDLC-like framing (RFC 1662). */
  public static final int PPP_HDLC = 50;

  /** Raw IP (v4 or v6, told by the version nibble). DLT_RAW is 12 or 14 on some systems. */
  public static final int RAW = 101;

  public static final int LOOP = 108;
  public static final int LINUX_SLL = 113;
  public static final int IPV4 = 228;
  public static final int IPV6 = 229;
  public static final int LINUX_SLL2 = 276;

  private LinkType() {}

  /** Maps the DLT values some libpcap builds write for raw IP to {@link #RAW}. */
  public static int normalize(int linkType) {
    return (linkType == 12 || linkType == 14) ? RAW : linkType;
  }
}
