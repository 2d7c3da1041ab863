package io.hoptrace.decode;

/**
 * Ethernet II header flyweight (IEEE 802.3). VLAN tags that may follow are read with {@link
 * VlanTag}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Destination MAC (6 bytes)                    |
 * +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+      Source MAC (6 bytes)     +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   EtherType / TPID (2 bytes)  |  payload or 802.1Q tag ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * EtherType values below 0x0600 are 802.3 length fields (LLC follows), not types.
 */
public final class EthernetHeader extends HeaderFlyweight<EthernetHeader> {
  public static final int DST_OFFSET = 0;
  public static final int SRC_OFFSET = 6;
  public static final int ETHERTYPE_OFFSET = 12;
  public static final int LENGTH = 14;

  public static final int TYPE_IPV4 = 0x0800;
  public static final int TYPE_ARP = 0x0806;
  public static final int TYPE_IPV6 = 0x86DD;
  public static final int TYPE_PPPOE_SESSION = 0x8864;
  public static final int TYPE_TEB = 0x6558;
  public static final int TYPE_MPLS_UNICAST = 0x8847;
  public static final int TYPE_MPLS_MULTICAST = 0x8848;

  /** Cisco MetaData (CMD): 8-byte shim carrying an SGT, next ethertype in its last two bytes. */
  public static final int TYPE_CISCO_METADATA = 0x8909;

  /** Captured bytes available from the start of the header. */
  public int capturedLength() {
    return length;
  }

  public boolean isComplete() {
    return length >= LENGTH;
  }

  /** Destination MAC as the low 48 bits of a long. */
  public long dstMac() {
    return mac(DST_OFFSET);
  }

  public long srcMac() {
    return mac(SRC_OFFSET);
  }

  private long mac(int at) {
    return ((long) Bytes.u16(buffer, offset + at) << 32) | Bytes.u32(buffer, offset + at + 2);
  }

  /** The EtherType or TPID right after the MACs. */
  public int etherType() {
    return Bytes.u16(buffer, offset + ETHERTYPE_OFFSET);
  }
}
