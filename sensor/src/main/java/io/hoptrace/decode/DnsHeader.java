package io.hoptrace.decode;

/**
 * DNS message header flyweight (RFC 1035 section 4.1.1). Over TCP the message is preceded by a
 * 2-byte length, which the caller skips.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |              ID               |Q| Opcode|A|T|R|R|Z|A|C| RCODE |
 * |                               |R|       |A|C|D|A| |D|D|       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            QDCOUNT            |            ANCOUNT            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            NSCOUNT            |            ARCOUNT            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class DnsHeader extends HeaderFlyweight<DnsHeader> {
  public static final int ID_OFFSET = 0;
  public static final int FLAGS_OFFSET = 2;
  public static final int QDCOUNT_OFFSET = 4;
  public static final int ANCOUNT_OFFSET = 6;
  public static final int NSCOUNT_OFFSET = 8;
  public static final int ARCOUNT_OFFSET = 10;
  public static final int LENGTH = 12;
  public static final int PORT = 53;

  public boolean isComplete() {
    return length >= LENGTH;
  }

  public int id() {
    return Bytes.u16(buffer, offset + ID_OFFSET);
  }

  public boolean isResponse() {
    return (Bytes.u16(buffer, offset + FLAGS_OFFSET) & 0x8000) != 0;
  }

  public int opcode() {
    return (Bytes.u16(buffer, offset + FLAGS_OFFSET) >>> 11) & 0x0F;
  }

  public int rcode() {
    return Bytes.u16(buffer, offset + FLAGS_OFFSET) & 0x0F;
  }

  public int qdcount() {
    return Bytes.u16(buffer, offset + QDCOUNT_OFFSET);
  }

  public int ancount() {
    return Bytes.u16(buffer, offset + ANCOUNT_OFFSET);
  }
}
