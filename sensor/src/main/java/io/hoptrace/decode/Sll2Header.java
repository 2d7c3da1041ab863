package io.hoptrace.decode;

/**
 * Linux "cooked" capture header v2 (LINKTYPE_LINUX_SLL2, 276), what {@code tcpdump -i any} writes
 * since libpcap 1.10. Carries the interface index.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Protocol type         |       Reserved (MBZ)          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Interface index                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          ARPHRD_ type         |  Packet type  | Addr length   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |              Link-layer address (8 bytes, padded)             |
 * +                                                               +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Packet types as in {@link SllHeader#direction(int)}.
 */
public final class Sll2Header extends HeaderFlyweight<Sll2Header> {
  public static final int PROTOCOL_OFFSET = 0;
  public static final int IFINDEX_OFFSET = 4;
  public static final int HATYPE_OFFSET = 8;
  public static final int PACKET_TYPE_OFFSET = 10;
  public static final int ADDR_LEN_OFFSET = 11;
  public static final int ADDR_OFFSET = 12;
  public static final int LENGTH = 20;

  public boolean isComplete() {
    return length >= LENGTH;
  }

  public int protocol() {
    return Bytes.u16(buffer, offset + PROTOCOL_OFFSET);
  }

  /** Interface index (signed 32-bit in libpcap; negative values are returned as is). */
  public int ifIndex() {
    return (int) Bytes.u32(buffer, offset + IFINDEX_OFFSET);
  }

  public int hatype() {
    return Bytes.u16(buffer, offset + HATYPE_OFFSET);
  }

  public int packetType() {
    return Bytes.u8(buffer, offset + PACKET_TYPE_OFFSET);
  }

  public int addressLength() {
    return Bytes.u8(buffer, offset + ADDR_LEN_OFFSET);
  }
}
