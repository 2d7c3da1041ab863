package io.hoptrace.decode;

/**
 * One IEEE 802.1Q / 802.1ad tag body, i.e. the 4 bytes after a TPID (0x8100 C-tag, 0x88A8 S-tag,
 * 0x9100/0x9200 legacy QinQ). Stacked tags (QinQ) repeat: the "next type" of one tag is the TPID of
 * the next.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | PCP |D|        VLAN ID        |   next EtherType / TPID       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class VlanTag extends HeaderFlyweight<VlanTag> {
  public static final int TCI_OFFSET = 0;
  public static final int NEXT_TYPE_OFFSET = 2;
  public static final int LENGTH = 4;

  /** Most stacked tags decoded per frame. */
  public static final int MAX_TAGS = 8;

  /** True for the TPIDs that introduce a tag: 0x8100, 0x88A8, 0x9100, 0x9200. */
  public static boolean isTpid(int etherType) {
    return etherType == 0x8100 || etherType == 0x88A8 || etherType == 0x9100 || etherType == 0x9200;
  }

  public boolean isComplete() {
    return length >= LENGTH;
  }

  public int priority() {
    return Bytes.u8(buffer, offset) >>> 5;
  }

  public boolean dropEligible() {
    return (Bytes.u8(buffer, offset) & 0x10) != 0;
  }

  public int vlanId() {
    return Bytes.u16(buffer, offset + TCI_OFFSET) & 0x0FFF;
  }

  public int nextType() {
    return Bytes.u16(buffer, offset + NEXT_TYPE_OFFSET);
  }
}
