package io.hoptrace.decode;

/**
 * ICMPv4 header flyweight (RFC 792, RFC 1191 for the next-hop MTU).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Identifier (echo, query)    |      Sequence Number          |   echo 0/8, 13/14, 15/16, 17/18
 * |   unused                      |      Next-Hop MTU             |   type 3 code 4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  errors (3, 4, 5, 11, 12): the original IP header + at least 8 bytes of its payload
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-
 * </pre>
 */
public final class IcmpHeader extends IcmpMessageHeader<IcmpHeader> {
  public static final int MTU_OFFSET = 6;

  public static final int ECHO_REPLY = 0;
  public static final int DEST_UNREACHABLE = 3;
  public static final int ECHO_REQUEST = 8;
  public static final int TIME_EXCEEDED = 11;
  public static final int CODE_FRAG_NEEDED = 4;

  /** Next-hop MTU of a fragmentation-needed message (0 from pre-RFC 1191 routers). */
  public int nextHopMtu() {
    return Bytes.u16(buffer, offset + MTU_OFFSET);
  }

  /** Errors that quote the offending datagram: 3, 4, 5, 11, 12. */
  public static boolean isError(int type) {
    return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
  }

  /** Query/response types carrying an identifier: echo, timestamp, information, mask. */
  public static boolean hasIdentifier(int type) {
    return type == 0 || type == 8 || (type >= 13 && type <= 18);
  }

  /** The requests among {@link #hasIdentifier} types: 8, 13, 15, 17. */
  public static boolean isRequest(int type) {
    return type == 8 || type == 13 || type == 15 || type == 17;
  }
}
