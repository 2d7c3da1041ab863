package io.hoptrace.decode;

/**
 * IPv4 header flyweight (RFC 791).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |Type of Service|          Total Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Identification        |Flags|      Fragment Offset    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Source Address                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Destination Address                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options (IHL &gt; 5)          |    Padding    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Flags: bit 0 reserved, DF (0x4000), MF (0x2000); offset in 8-byte units. A total length of 0 is
 * what Linux shows for GSO / BIG TCP super-packets: the length then comes from the capture.
 * Accessors read without checks: the caller checks {@link #capturedLength()} first.
 */
public final class Ipv4Header extends HeaderFlyweight<Ipv4Header> {
  public static final int VERSION_IHL_OFFSET = 0;
  public static final int TOS_OFFSET = 1;
  public static final int TOTAL_LENGTH_OFFSET = 2;
  public static final int ID_OFFSET = 4;
  public static final int FLAGS_FRAG_OFFSET = 6;
  public static final int TTL_OFFSET = 8;
  public static final int PROTOCOL_OFFSET = 9;
  public static final int CHECKSUM_OFFSET = 10;
  public static final int SRC_OFFSET = 12;
  public static final int DST_OFFSET = 16;
  public static final int MIN_LENGTH = 20;

  /** True when the fixed 20 bytes are captured. */
  public boolean hasFixedHeader() {
    return length >= MIN_LENGTH;
  }

  public int version() {
    return Bytes.u8(buffer, offset) >>> 4;
  }

  /** Header length in bytes (IHL × 4). */
  public int headerLength() {
    return (Bytes.u8(buffer, offset) & 0x0F) * 4;
  }

  public int tos() {
    return Bytes.u8(buffer, offset + TOS_OFFSET);
  }

  public int totalLength() {
    return Bytes.u16(buffer, offset + TOTAL_LENGTH_OFFSET);
  }

  public int identification() {
    return Bytes.u16(buffer, offset + ID_OFFSET);
  }

  public boolean dontFragment() {
    return (Bytes.u16(buffer, offset + FLAGS_FRAG_OFFSET) & 0x4000) != 0;
  }

  public boolean moreFragments() {
    return (Bytes.u16(buffer, offset + FLAGS_FRAG_OFFSET) & 0x2000) != 0;
  }

  /** Fragment offset in bytes. */
  public int fragmentOffset() {
    return (Bytes.u16(buffer, offset + FLAGS_FRAG_OFFSET) & 0x1FFF) * 8;
  }

  public int ttl() {
    return Bytes.u8(buffer, offset + TTL_OFFSET);
  }

  public int protocol() {
    return Bytes.u8(buffer, offset + PROTOCOL_OFFSET);
  }

  public int checksum() {
    return Bytes.u16(buffer, offset + CHECKSUM_OFFSET);
  }

  public void src(IpAddress into) {
    into.setV4(buffer, offset + SRC_OFFSET);
  }

  public void dst(IpAddress into) {
    into.setV4(buffer, offset + DST_OFFSET);
  }
}
