package io.hoptrace.decode;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decoder settings — the one place their defaults are declared.
 *
 * @param vxlanPorts UDP ports (destination, else source) decoded as VXLAN. Default {@code 4789}
 *     (IANA) and {@code 8472} (Linux/flannel). On 4789 a header with the I flag set is VXLAN; on
 *     any other port the header must also have all reserved bits zero, otherwise the datagram stays
 *     plain UDP (8472 is shared with OTV and NAT-T traffic).
 * @param genevePort UDP destination port decoded as Geneve. Default {@code 6081}.
 * @param maxEncapDepth most nested encapsulation layers decoded (1..16). Default {@code 4}; one
 *     more gives {@link DecodeStatus#TOO_MANY_LAYERS}.
 * @param payloadHashBytes first payload bytes hashed into the fingerprint (0..64). Default {@code
 *     16}.
 */
public record DecoderConfig(
    Set<Integer> vxlanPorts, int genevePort, int maxEncapDepth, int payloadHashBytes) {

  public static final Set<Integer> DEFAULT_VXLAN_PORTS = Set.of(4789, 8472);
  public static final int DEFAULT_GENEVE_PORT = 6081;
  public static final int DEFAULT_MAX_ENCAP_DEPTH = 4;
  public static final int DEFAULT_PAYLOAD_HASH_BYTES = 16;

  /** Upper bound for {@link #maxEncapDepth()}; {@link DecodedPacket} preallocates this many. */
  public static final int MAX_ENCAP_DEPTH_LIMIT = 16;

  public static final int MAX_PAYLOAD_HASH_BYTES = 64;

  public DecoderConfig {
    if (vxlanPorts == null) {
      throw new IllegalArgumentException("vxlanPorts must be set (may be empty)");
    }
    for (Integer p : vxlanPorts) {
      checkPort("vxlanPorts", p);
    }
    vxlanPorts = Set.copyOf(new TreeSet<>(vxlanPorts));
    checkPort("genevePort", genevePort);
    if (vxlanPorts.contains(genevePort)) {
      throw new IllegalArgumentException("genevePort " + genevePort + " is also a VXLAN port");
    }
    if (maxEncapDepth < 1 || maxEncapDepth > MAX_ENCAP_DEPTH_LIMIT) {
      throw new IllegalArgumentException(
          "maxEncapDepth must be 1.." + MAX_ENCAP_DEPTH_LIMIT + ", got " + maxEncapDepth);
    }
    if (payloadHashBytes < 0 || payloadHashBytes > MAX_PAYLOAD_HASH_BYTES) {
      throw new IllegalArgumentException(
          "payloadHashBytes must be 0.." + MAX_PAYLOAD_HASH_BYTES + ", got " + payloadHashBytes);
    }
  }

  private static void checkPort(String name, Integer p) {
    if (p == null || p < 1 || p > 65535) {
      throw new IllegalArgumentException(name + " must be a UDP port 1..65535, got " + p);
    }
  }

  /** The defaults: VXLAN on 4789 and 8472, Geneve on 6081, 4 layers, 16 payload bytes. */
  public static DecoderConfig defaults() {
    return new DecoderConfig(
        DEFAULT_VXLAN_PORTS,
        DEFAULT_GENEVE_PORT,
        DEFAULT_MAX_ENCAP_DEPTH,
        DEFAULT_PAYLOAD_HASH_BYTES);
  }

  /** A copy with other VXLAN ports (duplicates collapse; null elements are refused). */
  public DecoderConfig withVxlanPorts(Collection<Integer> ports) {
    if (ports == null) {
      throw new IllegalArgumentException("vxlanPorts must be set (may be empty)");
    }
    Set<Integer> set = new TreeSet<>();
    for (Integer p : ports) {
      checkPort("vxlanPorts", p);
      set.add(p);
    }
    return new DecoderConfig(set, genevePort, maxEncapDepth, payloadHashBytes);
  }

  public DecoderConfig withGenevePort(int port) {
    return new DecoderConfig(vxlanPorts, port, maxEncapDepth, payloadHashBytes);
  }

  public DecoderConfig withMaxEncapDepth(int depth) {
    return new DecoderConfig(vxlanPorts, genevePort, depth, payloadHashBytes);
  }

  public DecoderConfig withPayloadHashBytes(int n) {
    return new DecoderConfig(vxlanPorts, genevePort, maxEncapDepth, n);
  }
}
