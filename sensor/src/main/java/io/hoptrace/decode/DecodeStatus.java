package io.hoptrace.decode;

/**
 * Outcome of decoding one packet. {@link #OK} means every header up to the innermost transport
 * header was present and valid; any other value names the reason the decode stopped early. In every
 * case, the fields decoded before that point are kept in the {@link DecodedPacket}.
 *
 * <p>{@link #FRAGMENT} and {@link #UNSUPPORTED_ETHERTYPE} are not errors: a non-first IP fragment
 * simply has no transport header (no ports), and a non-IP frame (ARP, LLDP, ...) is simply not
 * decoded further. {@link #isComplete()} is true for OK and FRAGMENT: the IP header of the
 * innermost packet is fully known.
 */
public enum DecodeStatus {
  OK,
  /** Non-first IPv4/IPv6 fragment: IP fields are set, ports are -1. Not an error. */
  FRAGMENT,
  /** The link-layer header (Ethernet, SLL, SLL2, loopback) is cut short. */
  TRUNCATED_LINK,
  /** An 802.1Q/802.1ad tag is cut short. */
  TRUNCATED_VLAN,
  /** More stacked VLAN tags than {@link io.hoptrace.decode.VlanTag#MAX_TAGS}. */
  TOO_MANY_VLAN_TAGS,
  UNSUPPORTED_LINKTYPE,
  /** Not IP (ARP, LLDP, 802.3 length field, unknown loopback family, PPP control, ...). */
  UNSUPPORTED_ETHERTYPE,
  TRUNCATED_IPV4,
  /** The version nibble does not match the link type / encapsulation that announced the packet. */
  BAD_IP_VERSION,
  /** IPv4 IHL below 5. */
  BAD_IHL,
  /** IPv4 total length (non-zero) smaller than the header. */
  BAD_IPV4_LENGTH,
  TRUNCATED_IPV6,
  /** IPv6 extension-header chain too long or running past the packet. */
  BAD_IPV6_EXT,
  TRUNCATED_TCP,
  /** TCP data offset below 5 or beyond the segment. */
  BAD_TCP_OFFSET,
  TRUNCATED_UDP,
  /** UDP length field 1..7. */
  BAD_UDP_LENGTH,
  TRUNCATED_ICMP,
  /** A tunnel header (VXLAN, Geneve, GRE, ERSPAN, PPP) or the frame inside it is cut short. */
  TRUNCATED_ENCAP,
  /** An MPLS label stack entry is cut short, or the stack is deeper than the decoder follows. */
  TRUNCATED_MPLS,
  /** Geneve version not 0. */
  BAD_GENEVE,
  /** GRE version other than 0/1, routing present, or an invalid PPTP (version 1) header. */
  BAD_GRE,
  /** More nested encapsulation layers than {@link DecoderConfig#maxEncapDepth()}. */
  TOO_MANY_LAYERS;

  private static final DecodeStatus[] VALUES = values();

  /** Cached {@code values()} (that method allocates a copy). Do not modify. */
  static DecodeStatus[] all() {
    return VALUES;
  }

  /** True for OK and FRAGMENT: the innermost IP header is fully decoded. */
  public boolean isComplete() {
    return this == OK || this == FRAGMENT;
  }
}
