package io.hoptrace.decode;

import org.agrona.DirectBuffer;

/**
 * IPv6 header flyweight (RFC 8200) with a bounded walk of the extension-header chain.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Traffic Class |           Flow Label                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Payload Length        |  Next Header  |   Hop Limit   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 Source Address (16 bytes)                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |              Destination Address (16 bytes)                   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Extension header (hop-by-hop 0, routing 43, destination options 60, mobility 135, HIP 139,
 * shim6 140, experimental 253/254): next header, length in 8-byte units not counting the first 8.
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Next Header  |  Hdr Ext Len  |          ...                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * Fragment header (44), 8 bytes:
 * |  Next Header  |   Reserved    |      Fragment Offset    |Res|M|
 * |                         Identification                        |
 * Authentication header (51): length in 4-byte units minus 2.
 * </pre>
 *
 * {@link #walkExtensions(int)} follows at most {@link #MAX_EXTENSIONS} headers, records the
 * fragment header and the hop-by-hop jumbo payload option (0xC2, RFC 2675) and stops at the first
 * upper-layer protocol (or no-next-header 59, or ESP 50).
 */
public final class Ipv6Header extends HeaderFlyweight<Ipv6Header> {
  public static final int VERSION_OFFSET = 0;
  public static final int PAYLOAD_LENGTH_OFFSET = 4;
  public static final int NEXT_HEADER_OFFSET = 6;
  public static final int HOP_LIMIT_OFFSET = 7;
  public static final int SRC_OFFSET = 8;
  public static final int DST_OFFSET = 24;
  public static final int LENGTH = 40;
  public static final int MAX_EXTENSIONS = 8;

  /** Result of {@link #walkExtensions}: the chain ended at an upper-layer protocol. */
  public static final int WALK_OK = 0;

  public static final int WALK_TRUNCATED = 1;
  public static final int WALK_BAD = 2;

  private int upperProtocol;
  private int upperOffset;
  private boolean hasFragment;
  private int fragmentOffset;
  private boolean moreFragments;
  private long fragmentId;
  private long jumboLength;

  @Override
  public Ipv6Header wrap(DirectBuffer buffer, int offset, int length) {
    super.wrap(buffer, offset, length);
    upperProtocol = -1;
    upperOffset = -1;
    hasFragment = false;
    fragmentOffset = 0;
    moreFragments = false;
    fragmentId = -1;
    jumboLength = -1;
    return this;
  }

  public boolean hasFixedHeader() {
    return length >= LENGTH;
  }

  public int version() {
    return Bytes.u8(buffer, offset) >>> 4;
  }

  public int trafficClass() {
    return (Bytes.u16(buffer, offset) >>> 4) & 0xFF;
  }

  public int flowLabel() {
    return (int) (Bytes.u32(buffer, offset) & 0xFFFFF);
  }

  public int payloadLength() {
    return Bytes.u16(buffer, offset + PAYLOAD_LENGTH_OFFSET);
  }

  public int nextHeader() {
    return Bytes.u8(buffer, offset + NEXT_HEADER_OFFSET);
  }

  public int hopLimit() {
    return Bytes.u8(buffer, offset + HOP_LIMIT_OFFSET);
  }

  public void src(IpAddress into) {
    into.setV6(buffer, offset + SRC_OFFSET);
  }

  public void dst(IpAddress into) {
    into.setV6(buffer, offset + DST_OFFSET);
  }

  /** True for the next-header values walked as extension headers. */
  public static boolean isExtension(int nh) {
    return nh == 0 || nh == 43 || nh == 44 || nh == 51 || nh == 60 || nh == 135 || nh == 139
        || nh == 140 || nh == 253 || nh == 254;
  }

  /**
   * Walks the extension headers after the fixed header, within the captured bytes and at most
   * {@code limitFromStart} bytes from the start of the IPv6 header (the packet's length).
   *
   * @return {@link #WALK_OK}, {@link #WALK_TRUNCATED} (chain runs past the captured bytes; what was
   *     walked is kept) or {@link #WALK_BAD} (chain too long or past the packet length)
   */
  public int walkExtensions(int limitFromStart) {
    int nh = nextHeader();
    int pos = LENGTH;
    int captured = length;
    for (int n = 0; ; n++) {
      if (!isExtension(nh)) {
        upperProtocol = nh;
        upperOffset = pos;
        return WALK_OK;
      }
      if (n >= MAX_EXTENSIONS) {
        upperProtocol = nh;
        return WALK_BAD;
      }
      if (captured - pos < 2) {
        upperProtocol = nh;
        return WALK_TRUNCATED;
      }
      int at = offset + pos;
      int next = Bytes.u8(buffer, at);
      int len;
      if (nh == 44) {
        len = 8;
      } else if (nh == 51) {
        len = (Bytes.u8(buffer, at + 1) + 2) * 4;
      } else {
        len = (Bytes.u8(buffer, at + 1) + 1) * 8;
      }
      if (pos + len > limitFromStart) {
        upperProtocol = nh;
        return WALK_BAD;
      }
      if (captured - pos < len) {
        upperProtocol = nh;
        return WALK_TRUNCATED;
      }
      if (nh == 44) {
        int fo = Bytes.u16(buffer, at + 2);
        hasFragment = true;
        fragmentOffset = fo & 0xFFF8;
        moreFragments = (fo & 1) != 0;
        fragmentId = Bytes.u32(buffer, at + 4);
      } else if (nh == 0) {
        readJumbo(at + 2, at + len);
      }
      nh = next;
      pos += len;
    }
  }

  private void readJumbo(int from, int to) {
    int p = from;
    while (p < to) {
      int type = Bytes.u8(buffer, p);
      if (type == 0) { // Pad1
        p++;
        continue;
      }
      if (p + 2 > to) {
        return;
      }
      int optLen = Bytes.u8(buffer, p + 1);
      if (type == 0xC2 && optLen == 4 && p + 6 <= to) {
        jumboLength = Bytes.u32(buffer, p + 2);
      }
      p += 2 + optLen;
    }
  }

  /** Upper-layer protocol after the chain (or the extension header where the walk stopped). */
  public int upperProtocol() {
    return upperProtocol;
  }

  /** Offset of the upper-layer header from the start of the IPv6 header, -1 if not reached. */
  public int upperOffset() {
    return upperOffset;
  }

  public boolean hasFragment() {
    return hasFragment;
  }

  /** Fragment offset in bytes (fragment header), 0 if none. */
  public int fragmentOffset() {
    return fragmentOffset;
  }

  public boolean moreFragments() {
    return moreFragments;
  }

  public long fragmentId() {
    return fragmentId;
  }

  /** Jumbo payload length from the hop-by-hop option, -1 if none. */
  public long jumboLength() {
    return jumboLength;
  }
}
