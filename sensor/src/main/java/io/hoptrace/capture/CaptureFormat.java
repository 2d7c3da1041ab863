package io.hoptrace.capture;

/**
 * The numbers of the capture file formats, one definition for the readers and writers: classic
 * pcap's magic numbers (libpcap's savefile.c; read in either byte order) and pcapng's block types
 * and byte-order magic (draft-ietf-opsawg-pcapng, section 4 and 11.1).
 */
final class CaptureFormat {
  /** Classic pcap, microsecond timestamps. */
  static final int PCAP_MAGIC_US = 0xa1b2c3d4;

  /** Classic pcap, nanosecond timestamps. */
  static final int PCAP_MAGIC_NS = 0xa1b23c4d;

  /** Kuznetzov's modified pcap: 24-byte record headers. */
  static final int PCAP_MAGIC_KUZNETZOV = 0xa1b2cd34;

  /** Length of the classic pcap file header. */
  static final int PCAP_HEADER_LEN = 24;

  /** pcapng Section Header Block; its type reads the same in both byte orders. */
  static final int PCAPNG_SHB = 0x0A0D0D0A;

  /** pcapng byte-order magic, in the section header. */
  static final int PCAPNG_BOM = 0x1A2B3C4D;

  static final int BT_IDB = 0x00000001;
  static final int BT_OPB = 0x00000002;
  static final int BT_SPB = 0x00000003;
  static final int BT_NRB = 0x00000004;
  static final int BT_ISB = 0x00000005;
  static final int BT_EPB = 0x00000006;
  static final int BT_JOURNAL = 0x00000009;
  static final int BT_DSB = 0x0000000A;
  static final int BT_CUSTOM = 0x00000BAD;
  static final int BT_CUSTOM_NOCOPY = 0x40000BAD;

  /** Whether {@code magic} (as read big-endian or swapped) is one of classic pcap's. */
  static boolean isPcapMagic(int magic) {
    return magic == PCAP_MAGIC_US || magic == PCAP_MAGIC_NS || magic == PCAP_MAGIC_KUZNETZOV;
  }

  private CaptureFormat() {}
}
