package io.hoptrace.decode;

/**
 * ICMPv6 header flyweight (RFC 4443).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Identifier          |        Sequence Number        |  echo 128/129
 * |                              MTU                              |  packet too big (2)
 * |                            Pointer                            |  parameter problem (4)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  errors 1..4: as much of the invoking packet as fits the minimum MTU
 * </pre>
 */
public final class Icmpv6Header extends IcmpMessageHeader<Icmpv6Header> {
  public static final int MTU_OFFSET = 4;

  public static final int DEST_UNREACHABLE = 1;
  public static final int PACKET_TOO_BIG = 2;
  public static final int TIME_EXCEEDED = 3;
  public static final int PARAMETER_PROBLEM = 4;
  public static final int ECHO_REQUEST = 128;
  public static final int ECHO_REPLY = 129;

  /** MTU of a packet-too-big message. */
  public long mtu() {
    return Bytes.u32(buffer, offset + MTU_OFFSET);
  }

  /** Error messages (type &lt; 128) that quote the invoking packet: 1..4. */
  public static boolean isError(int type) {
    return type >= 1 && type <= 4;
  }
}
