package io.hoptrace.decode;

import org.agrona.DirectBuffer;

/**
 * TCP header flyweight (RFC 9293) with option parsing (MSS, window scale, SACK-permitted, SACK
 * blocks, timestamps; RFC 7323 and 2018).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Sequence Number                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Acknowledgment Number                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Data |       |C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 * |       |       |R|E|G|K|H|T|N|N|                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Checksum            |         Urgent Pointer        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options                    |    Padding    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * After {@link #wrap}, call {@link #parseOptions()} to fill the option accessors from the captured
 * part of the options.
 */
public final class TcpHeader extends HeaderFlyweight<TcpHeader> {
  public static final int SRC_PORT_OFFSET = 0;
  public static final int DST_PORT_OFFSET = 2;
  public static final int SEQ_OFFSET = 4;
  public static final int ACK_OFFSET = 8;
  public static final int DATA_OFFSET_OFFSET = 12;
  public static final int FLAGS_OFFSET = 13;
  public static final int WINDOW_OFFSET = 14;
  public static final int CHECKSUM_OFFSET = 16;
  public static final int URGENT_OFFSET = 18;
  public static final int MIN_LENGTH = 20;

  public static final int FIN = 1;
  public static final int SYN = 2;
  public static final int RST = 4;
  public static final int PSH = 8;
  public static final int ACK = 16;
  public static final int URG = 32;
  public static final int ECE = 64;
  public static final int CWR = 128;

  private int mss;
  private int wscale;
  private boolean sackPermitted;
  private int sackBlocks;
  private long tsVal;
  private long tsEcr;

  @Override
  public TcpHeader wrap(DirectBuffer buffer, int offset, int length) {
    super.wrap(buffer, offset, length);
    mss = -1;
    wscale = -1;
    sackPermitted = false;
    sackBlocks = 0;
    tsVal = -1;
    tsEcr = -1;
    return this;
  }

  public int srcPort() {
    return Bytes.u16(buffer, offset + SRC_PORT_OFFSET);
  }

  public int dstPort() {
    return Bytes.u16(buffer, offset + DST_PORT_OFFSET);
  }

  public long seq() {
    return Bytes.u32(buffer, offset + SEQ_OFFSET);
  }

  public long ack() {
    return Bytes.u32(buffer, offset + ACK_OFFSET);
  }

  /** Header length in bytes (data offset × 4). */
  public int headerLength() {
    return (Bytes.u8(buffer, offset + DATA_OFFSET_OFFSET) >>> 4) * 4;
  }

  public int flags() {
    return Bytes.u8(buffer, offset + FLAGS_OFFSET);
  }

  public int window() {
    return Bytes.u16(buffer, offset + WINDOW_OFFSET);
  }

  /**
   * Parses the options in the captured part of the header. Stops at end-of-options, at a malformed
   * length, or at the end of the captured bytes.
   */
  public void parseOptions() {
    int end = Math.min(headerLength(), length);
    int p = MIN_LENGTH;
    while (p < end) {
      int kind = Bytes.u8(buffer, offset + p);
      if (kind == 0) {
        return;
      }
      if (kind == 1) {
        p++;
        continue;
      }
      if (p + 2 > end) {
        return;
      }
      int len = Bytes.u8(buffer, offset + p + 1);
      if (len < 2 || p + len > end) {
        return;
      }
      int at = offset + p + 2;
      switch (kind) {
        case 2:
          if (len == 4) {
            mss = Bytes.u16(buffer, at);
          }
          break;
        case 3:
          if (len == 3) {
            wscale = Bytes.u8(buffer, at);
          }
          break;
        case 4:
          sackPermitted = true;
          break;
        case 5:
          sackBlocks = (len - 2) / 8;
          break;
        case 8:
          if (len == 10) {
            tsVal = Bytes.u32(buffer, at);
            tsEcr = Bytes.u32(buffer, at + 4);
          }
          break;
        default:
          break;
      }
      p += len;
    }
  }

  public int mss() {
    return mss;
  }

  public int windowScale() {
    return wscale;
  }

  public boolean sackPermitted() {
    return sackPermitted;
  }

  public int sackBlocks() {
    return sackBlocks;
  }

  public long tsVal() {
    return tsVal;
  }

  public long tsEcr() {
    return tsEcr;
  }
}
