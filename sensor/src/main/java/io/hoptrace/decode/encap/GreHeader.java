package io.hoptrace.decode.encap;

import io.hoptrace.decode.Bytes;
import io.hoptrace.decode.HeaderFlyweight;

/**
 * GRE header flyweight: version 0 (RFC 2784 with the key and sequence number of RFC 2890) and
 * version 1, the enhanced GRE of PPTP (RFC 2637) that carries PPP.
 *
 * <pre>
 * Version 0:
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |C|R|K|S|s|Recur|  Flags  | Ver |         Protocol Type         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      Checksum (optional)      |       Reserved1 (Optional)    |  if C (or R)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Key (optional)                        |  if K
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 Sequence Number (Optional)                    |  if S
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * Version 1 (PPTP), protocol 0x880B, K always set:
 * |C|R|K|S|s|Recur|A| Flags | Ver |     Protocol Type (0x880B)    |
 * |    Key (HW) Payload Length    |       Key (LW) Call ID        |
 * |                  Sequence Number (Optional)                   |  if S
 * |               Acknowledgment Number (Optional)                |  if A
 * </pre>
 *
 * Protocol types decoded after it: 0x0800 IPv4, 0x86DD IPv6, 0x6558 transparent Ethernet bridging,
 * 0x880B PPP, 0x88BE ERSPAN type I/II, 0x22EB ERSPAN type III.
 */
public final class GreHeader extends HeaderFlyweight<GreHeader> {
  public static final int FLAGS_OFFSET = 0;
  public static final int PROTOCOL_OFFSET = 2;
  public static final int MIN_LENGTH = 4;

  public static final int FLAG_C = 0x8000;
  public static final int FLAG_R = 0x4000;
  public static final int FLAG_K = 0x2000;
  public static final int FLAG_S = 0x1000;
  public static final int FLAG_A = 0x0080;

  public static final int PROTO_PPP = 0x880B;
  public static final int PROTO_ERSPAN_2 = 0x88BE;
  public static final int PROTO_ERSPAN_3 = 0x22EB;

  public boolean hasFixedHeader() {
    return length >= MIN_LENGTH;
  }

  public int flags() {
    return Bytes.u16(buffer, offset + FLAGS_OFFSET);
  }

  public int version() {
    return flags() & 0x7;
  }

  public boolean hasChecksum() {
    return (flags() & FLAG_C) != 0;
  }

  public boolean hasRouting() {
    return (flags() & FLAG_R) != 0;
  }

  public boolean hasKey() {
    return (flags() & FLAG_K) != 0;
  }

  public boolean hasSequence() {
    return (flags() & FLAG_S) != 0;
  }

  /** Version 1 only: acknowledgment number present. */
  public boolean hasAck() {
    return (flags() & FLAG_A) != 0;
  }

  public int protocolType() {
    return Bytes.u16(buffer, offset + PROTOCOL_OFFSET);
  }

  /**
   * True when the header is decodable: version 0 without routing (RFC 1701 source routes are not
   * supported), or version 1 with K set, C/R clear and protocol PPP.
   */
  public boolean isSupported() {
    int f = flags();
    int v = f & 0x7;
    if (v == 0) {
      return (f & FLAG_R) == 0;
    }
    if (v == 1) {
      return (f & (FLAG_C | FLAG_R)) == 0 && (f & FLAG_K) != 0 && protocolType() == PROTO_PPP;
    }
    return false;
  }

  /** Header length implied by the flags (valid when {@link #isSupported()}). */
  public int headerLength() {
    int f = flags();
    int n = MIN_LENGTH;
    if ((f & 0x7) == 1) {
      n += 4; // key (payload length + call id)
      n += (f & FLAG_S) != 0 ? 4 : 0;
      n += (f & FLAG_A) != 0 ? 4 : 0;
      return n;
    }
    n += (f & (FLAG_C | FLAG_R)) != 0 ? 4 : 0;
    n += (f & FLAG_K) != 0 ? 4 : 0;
    n += (f & FLAG_S) != 0 ? 4 : 0;
    return n;
  }

  private int keyOffset() {
    return offset + MIN_LENGTH + (version() == 0 && (flags() & (FLAG_C | FLAG_R)) != 0 ? 4 : 0);
  }

  /** The key (version 0), -1 when absent. Needs {@link #headerLength()} captured. */
  public long key() {
    return hasKey() ? Bytes.u32(buffer, keyOffset()) : -1;
  }

  /** Version 1: the payload length in the key's high half. */
  public int pptpPayloadLength() {
    return Bytes.u16(buffer, keyOffset());
  }

  /** Version 1: the call id in the key's low half. */
  public int pptpCallId() {
    return Bytes.u16(buffer, keyOffset() + 2);
  }

  /** Sequence number, -1 when absent. */
  public long sequence() {
    if (!hasSequence()) {
      return -1;
    }
    return Bytes.u32(buffer, keyOffset() + (hasKey() ? 4 : 0));
  }
}
