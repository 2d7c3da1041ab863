package io.hoptrace.decode;

import io.hoptrace.schema.CaptureDirection;

/**
 * Linux "cooked" capture header v1 (LINKTYPE_LINUX_SLL, 113), what {@code tcpdump -i any} wrote
 * before libpcap 1.10.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Packet type           |       ARPHRD_ type            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Link-layer address length    |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |              Link-layer address (8 bytes, padded)             |
 * +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               |        Protocol type          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Packet type: 0 to us (host), 1 broadcast, 2 multicast, 3 to another host, 4 sent by us.
 */
public final class SllHeader extends HeaderFlyweight<SllHeader> {
  public static final int PACKET_TYPE_OFFSET = 0;
  public static final int HATYPE_OFFSET = 2;
  public static final int ADDR_LEN_OFFSET = 4;
  public static final int ADDR_OFFSET = 6;
  public static final int PROTOCOL_OFFSET = 14;
  public static final int LENGTH = 16;

  public boolean isComplete() {
    return length >= LENGTH;
  }

  public int packetType() {
    return Bytes.u16(buffer, offset + PACKET_TYPE_OFFSET);
  }

  public int hatype() {
    return Bytes.u16(buffer, offset + HATYPE_OFFSET);
  }

  public int addressLength() {
    return Bytes.u16(buffer, offset + ADDR_LEN_OFFSET);
  }

  /** EtherType of the payload (for ARPHRD_IPGRE the GRE protocol type, same numbering). */
  public int protocol() {
    return Bytes.u16(buffer, offset + PROTOCOL_OFFSET);
  }

  /** Maps a Linux packet type (PACKET_HOST ... PACKET_OUTGOING) to a capture direction. */
  public static CaptureDirection direction(int packetType) {
    switch (packetType) {
      case 0:
        return CaptureDirection.INBOUND;
      case 1:
        return CaptureDirection.BROADCAST;
      case 2:
        return CaptureDirection.MULTICAST;
      case 3:
        return CaptureDirection.OTHERHOST;
      case 4:
        return CaptureDirection.OUTBOUND;
      default:
        return CaptureDirection.UNKNOWN;
    }
  }
}
