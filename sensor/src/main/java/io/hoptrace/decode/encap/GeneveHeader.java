package io.hoptrace.decode.encap;

import io.hoptrace.decode.Bytes;
import io.hoptrace.decode.HeaderFlyweight;

/**
 * Geneve header flyweight (RFC 8926). Options are skipped by their total length; the protocol type
 * says what follows: 0x6558 an Ethernet frame, 0x0800/0x86DD an IP packet directly.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Ver|  Opt Len  |O|C|    Rsvd.  |          Protocol Type        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        Virtual Network Identifier (VNI)       |    Reserved   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Variable-Length Options (Opt Len × 4)      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class GeneveHeader extends HeaderFlyweight<GeneveHeader> {
  public static final int VER_OPTLEN_OFFSET = 0;
  public static final int FLAGS_OFFSET = 1;
  public static final int PROTOCOL_OFFSET = 2;
  public static final int VNI_OFFSET = 4;
  public static final int MIN_LENGTH = 8;

  public boolean hasFixedHeader() {
    return length >= MIN_LENGTH;
  }

  public int version() {
    return Bytes.u8(buffer, offset) >>> 6;
  }

  /** Length of the options in bytes. */
  public int optionsLength() {
    return (Bytes.u8(buffer, offset) & 0x3F) * 4;
  }

  /** Fixed header plus options. */
  public int headerLength() {
    return MIN_LENGTH + optionsLength();
  }

  public boolean oam() {
    return (Bytes.u8(buffer, offset + FLAGS_OFFSET) & 0x80) != 0;
  }

  public boolean critical() {
    return (Bytes.u8(buffer, offset + FLAGS_OFFSET) & 0x40) != 0;
  }

  public int protocolType() {
    return Bytes.u16(buffer, offset + PROTOCOL_OFFSET);
  }

  public int vni() {
    return Bytes.u24(buffer, offset + VNI_OFFSET);
  }
}
