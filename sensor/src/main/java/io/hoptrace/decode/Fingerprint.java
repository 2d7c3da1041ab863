package io.hoptrace.decode;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;

/**
 * The packet fingerprint of SPEC section 4: a 64-bit hash of the innermost packet's fields that
 * survive NAT, TTL decrement and encapsulation, so one packet seen on several hops (pod veth, VTEP,
 * uplink inside VXLAN, after DNAT) has one fingerprint.
 *
 * <p>Hashed: IPv4 identification (not IPv6), protocol, fragment offset and MF, TCP seq/ack/flags,
 * ICMP type/id/seq, UDP length, the L4 payload length, and the first {@link
 * DecoderConfig#payloadHashBytes()} payload bytes actually captured (fewer when the packet or the
 * capture is shorter). For ICMP errors the quoted packet's IP id, protocol and length replace the
 * payload bytes (NAT rewrites the quoted addresses). Not hashed: addresses, ports, TTL, checksums,
 * encapsulation. 0 when there is no IP packet. Allocation-free.
 */
public final class Fingerprint {
  private static final long P1 = 0x9E3779B97F4A7C15L;
  private static final long P2 = 0xC2B2AE3D27D4EB4FL;
  private static final long SEED = 0x2545F4914F6CDD1DL;

  private Fingerprint() {}

  /** Computes the fingerprint of a decoded packet over the buffer it was decoded from. */
  public static long compute(DecodedPacket p, DirectBuffer buffer, int payloadHashBytes) {
    if (p.ipVersion == 0) {
      return 0;
    }
    long h = SEED;
    h = mix(h, p.ipVersion == 4 ? p.ipId : -1);
    h = mix(h, p.proto);
    h = mix(h, ((long) p.fragOffset << 1) | (p.mf ? 1 : 0));
    if (p.hasTcp) {
      h = mix(h, p.tcpSeq);
      h = mix(h, p.tcpAck);
      h = mix(h, p.tcpFlags);
    }
    if (p.hasUdp) {
      h = mix(h, p.udpLength);
    }
    boolean icmpError = false;
    if (p.hasIcmp) {
      h = mix(h, p.icmpType);
      h = mix(h, ((long) p.icmpId << 32) | (p.icmpSeq & 0xFFFF_FFFFL));
      if (p.quoted.valid) {
        icmpError = true;
        h = mix(h, p.quoted.ipId);
        h = mix(h, p.quoted.proto);
        h = mix(h, p.quoted.length);
      }
    }
    h = mix(h, p.payloadLength);
    if (!icmpError && p.payloadOffset >= 0) {
      int n = Math.min(payloadHashBytes, p.payloadCaptured);
      if (p.payloadLength >= 0) {
        n = Math.min(n, p.payloadLength);
      }
      int off = p.payloadOffset;
      int i = 0;
      for (; i + 8 <= n; i += 8) {
        h = mix(h, buffer.getLong(off + i, ByteOrder.BIG_ENDIAN));
      }
      long word = 0;
      for (; i < n; i++) {
        word = (word << 8) | (buffer.getByte(off + i) & 0xFF);
      }
      h = mix(h, word);
      h = mix(h, n);
    }
    return fmix(h);
  }

  private static long mix(long h, long v) {
    h ^= fmix(v * P2 + P1);
    return Long.rotateLeft(h, 27) * P1 + 0x52DCE729L;
  }

  /** MurmurHash3's 64-bit finaliser. */
  public static long fmix(long k) {
    k ^= k >>> 33;
    k *= 0xFF51AFD7ED558CCDL;
    k ^= k >>> 33;
    k *= 0xC4CEB9FE1A85EC53L;
    k ^= k >>> 33;
    return k;
  }
}
