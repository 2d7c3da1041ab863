package io.hoptrace.decode;

import io.hoptrace.contract.IpProto;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Community ID v1 flow hash (https://github.com/corelight/community-id-spec): base64 of SHA-1 over
 * {@code seed(2) | src | dst | proto(1) | 0(1) | sport(2) | dport(2)} with the endpoints ordered
 * (lower address first, then lower port) unless the flow is a one-way ICMP message, prefixed "1:".
 * ICMP/ICMPv6 use the type as source port and the reply type (two-way messages) or the code
 * (one-way messages) as destination port. Ports are only hashed for TCP, UDP, SCTP and ICMP(v6).
 *
 * <p>Reuses one {@link MessageDigest} and buffer: not thread-safe (one per publishing thread). The
 * result string allocates; compute at publish time.
 */
public final class CommunityId {
  public static final int DEFAULT_SEED = 0;

  private final MessageDigest sha1;
  private final byte[] in = new byte[2 + 16 + 16 + 2 + 4];
  private final int seed;

  public CommunityId() {
    this(DEFAULT_SEED);
  }

  public CommunityId(int seed) {
    if (seed < 0 || seed > 0xFFFF) {
      throw new IllegalArgumentException("seed must be 0..65535, got " + seed);
    }
    this.seed = seed;
    try {
      this.sha1 = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required by every Java platform", e);
    }
  }

  /** The Community ID of the innermost packet, or null when it has no IP header. */
  public String of(DecodedPacket p) {
    if (p.ipVersion() == 0) {
      return null;
    }
    if (p.hasIcmp()) {
      return ofIcmp(p.proto(), p.src(), p.dst(), p.icmpType(), p.icmpCode());
    }
    return of(p.proto(), p.src(), p.sport(), p.dst(), p.dport());
  }

  /**
   * Community ID for a non-ICMP 5-tuple; ports below 0 (absent, e.g. a non-first fragment) are left
   * out of the hash, as are ports of protocols other than TCP/UDP/SCTP.
   */
  public String of(int proto, IpAddress src, int sport, IpAddress dst, int dport) {
    boolean ports = sport >= 0 && dport >= 0 && IpProto.hasPorts(proto);
    return hash(proto, src, ports ? sport : 0, dst, ports ? dport : 0, ports, false);
  }

  /** Community ID for an ICMP (proto 1) or ICMPv6 (proto 58) message of the given type/code. */
  public String ofIcmp(int proto, IpAddress src, IpAddress dst, int type, int code) {
    if (type < 0) {
      return hash(proto, src, 0, dst, 0, false, false);
    }
    int counterpart = proto == IpProto.ICMPV6 ? icmp6Counterpart(type) : icmp4Counterpart(type);
    boolean oneWay = counterpart < 0;
    return hash(proto, src, type, dst, oneWay ? Math.max(0, code) : counterpart, true, oneWay);
  }

  /** The reply/request type of a two-way ICMPv4 message, -1 for one-way messages. */
  static int icmp4Counterpart(int type) {
    switch (type) {
      case 8:
        return 0;
      case 0:
        return 8;
      case 13:
        return 14;
      case 14:
        return 13;
      case 15:
        return 16;
      case 16:
        return 15;
      case 10:
        return 9;
      case 9:
        return 10;
      case 17:
        return 18;
      case 18:
        return 17;
      default:
        return -1;
    }
  }

  /** The reply/request type of a two-way ICMPv6 message, -1 for one-way messages. */
  static int icmp6Counterpart(int type) {
    switch (type) {
      case 128:
        return 129;
      case 129:
        return 128;
      case 133:
        return 134;
      case 134:
        return 133;
      case 135:
        return 136;
      case 136:
        return 135;
      case 130:
        return 131;
      case 131:
        return 130;
      case 139:
        return 140;
      case 140:
        return 139;
      case 144:
        return 145;
      case 145:
        return 144;
      default:
        return -1;
    }
  }

  private String hash(
      int proto,
      IpAddress src,
      int sport,
      IpAddress dst,
      int dport,
      boolean ports,
      boolean oneWay) {
    int c = src.compareTo(dst);
    boolean ordered = c < 0 || (c == 0 && sport < dport);
    if (!oneWay && !ordered) {
      IpAddress a = dst;
      dst = src;
      src = a;
      int t = sport;
      sport = dport;
      dport = t;
    }
    int n = 0;
    in[n++] = (byte) (seed >>> 8);
    in[n++] = (byte) seed;
    n += src.copyTo(in, n);
    n += dst.copyTo(in, n);
    in[n++] = (byte) proto;
    in[n++] = 0;
    if (ports) {
      in[n++] = (byte) (sport >>> 8);
      in[n++] = (byte) sport;
      in[n++] = (byte) (dport >>> 8);
      in[n++] = (byte) dport;
    }
    sha1.reset();
    sha1.update(in, 0, n);
    return "1:" + Base64.getEncoder().encodeToString(sha1.digest());
  }
}
