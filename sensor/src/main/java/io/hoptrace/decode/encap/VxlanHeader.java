package io.hoptrace.decode.encap;

import io.hoptrace.decode.Bytes;
import io.hoptrace.decode.HeaderFlyweight;

/**
 * VXLAN header flyweight (RFC 7348); an Ethernet frame follows.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |R|R|R|R|I|R|R|R|            Reserved                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                VXLAN Network Identifier (VNI) |   Reserved    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class VxlanHeader extends HeaderFlyweight<VxlanHeader> {
  public static final int FLAGS_OFFSET = 0;
  public static final int VNI_OFFSET = 4;
  public static final int LENGTH = 8;
  public static final int FLAG_I = 0x08;

  public boolean isComplete() {
    return length >= LENGTH;
  }

  public int flags() {
    return Bytes.u8(buffer, offset + FLAGS_OFFSET);
  }

  /** I flag: the VNI is valid. Needs 1 captured byte. */
  public boolean vniValid() {
    return (flags() & FLAG_I) != 0;
  }

  /**
   * Strict RFC 7348 check on the captured bytes: I flag set, every other flag bit zero, and (if
   * captured) the reserved bytes zero.
   */
  public boolean isStrictlyValid() {
    if (length < 1 || flags() != FLAG_I) {
      return false;
    }
    int n = Math.min(length, LENGTH);
    for (int i = 1; i < n; i++) {
      if (i >= 4 && i <= 6) {
        continue;
      }
      if (buffer.getByte(offset + i) != 0) {
        return false;
      }
    }
    return true;
  }

  public int vni() {
    return Bytes.u24(buffer, offset + VNI_OFFSET);
  }
}
