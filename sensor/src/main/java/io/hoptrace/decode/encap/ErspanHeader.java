package io.hoptrace.decode.encap;

import io.hoptrace.decode.Bytes;
import io.hoptrace.decode.HeaderFlyweight;

/**
 * ERSPAN header flyweight (draft-foschiano-erspan), carried in GRE 0x88BE (type II; type I has no
 * header and no GRE sequence number) or 0x22EB (type III). A mirrored Ethernet frame follows.
 *
 * <pre>
 * Type II (8 bytes):
 * |  Ver  |          VLAN         | COS |En|T|    Session ID     |
 * |      Reserved         |                 Index                 |
 * Type III (12 bytes, +8 when O is set):
 * |  Ver  |          VLAN         | COS |BSO|T|    Session ID     |
 * |                          Timestamp                            |
 * |             SGT               |P|    FT   |   Hw ID   |D|Gra|O|
 * </pre>
 */
public final class ErspanHeader extends HeaderFlyweight<ErspanHeader> {
  public static final int TYPE2_LENGTH = 8;
  public static final int TYPE3_LENGTH = 12;
  public static final int TYPE3_SUBHEADER_LENGTH = 8;

  /** 1 for type II, 2 for type III. */
  public int version() {
    return Bytes.u8(buffer, offset) >>> 4;
  }

  public int vlan() {
    return Bytes.u16(buffer, offset) & 0x0FFF;
  }

  public int sessionId() {
    return Bytes.u16(buffer, offset + 2) & 0x03FF;
  }

  /**
   * Header length for the version in the first byte: 8 (II), 12 or 20 (III, platform sub-header
   * when O is set; needs 12 bytes captured), or -1 for an unknown version.
   */
  public int headerLength() {
    int v = version();
    if (v == 1) {
      return TYPE2_LENGTH;
    }
    if (v == 2) {
      if (length < TYPE3_LENGTH) {
        return TYPE3_LENGTH;
      }
      return (Bytes.u8(buffer, offset + 11) & 1) != 0
          ? TYPE3_LENGTH + TYPE3_SUBHEADER_LENGTH
          : TYPE3_LENGTH;
    }
    return -1;
  }
}
