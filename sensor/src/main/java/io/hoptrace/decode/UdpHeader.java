package io.hoptrace.decode;

/**
 * UDP header flyweight (RFC 768).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            Length             |           Checksum            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Length 0 occurs for jumbograms and GSO: the IP length then gives the datagram size.
 */
public final class UdpHeader extends HeaderFlyweight<UdpHeader> {
  public static final int SRC_PORT_OFFSET = 0;
  public static final int DST_PORT_OFFSET = 2;
  public static final int LENGTH_OFFSET = 4;
  public static final int CHECKSUM_OFFSET = 6;
  public static final int LENGTH = 8;

  public boolean isComplete() {
    return length >= LENGTH;
  }

  public int srcPort() {
    return Bytes.u16(buffer, offset + SRC_PORT_OFFSET);
  }

  public int dstPort() {
    return Bytes.u16(buffer, offset + DST_PORT_OFFSET);
  }

  /** The UDP length field (header + data). */
  public int datagramLength() {
    return Bytes.u16(buffer, offset + LENGTH_OFFSET);
  }

  public int checksum() {
    return Bytes.u16(buffer, offset + CHECKSUM_OFFSET);
  }
}
