package io.hoptrace.decode;

/**
 * The first 8 bytes ICMPv4 (RFC 792) and ICMPv6 (RFC 4443) share: type, code, checksum, then a
 * 4-byte field whose meaning depends on the type (identifier and sequence number for echo).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Identifier          |        Sequence Number        |  (echo)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param <S> the concrete header
 */
public abstract class IcmpMessageHeader<S extends IcmpMessageHeader<S>> extends HeaderFlyweight<S> {
  public static final int TYPE_OFFSET = 0;
  public static final int CODE_OFFSET = 1;
  public static final int CHECKSUM_OFFSET = 2;
  public static final int ID_OFFSET = 4;
  public static final int SEQ_OFFSET = 6;
  public static final int LENGTH = 8;

  public boolean isComplete() {
    return length >= LENGTH;
  }

  public int type() {
    return Bytes.u8(buffer, offset + TYPE_OFFSET);
  }

  public int code() {
    return Bytes.u8(buffer, offset + CODE_OFFSET);
  }

  public int identifier() {
    return Bytes.u16(buffer, offset + ID_OFFSET);
  }

  public int sequence() {
    return Bytes.u16(buffer, offset + SEQ_OFFSET);
  }
}
