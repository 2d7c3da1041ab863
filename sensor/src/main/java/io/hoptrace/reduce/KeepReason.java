package io.hoptrace.reduce;

/** Why the {@link Reducer} published a packet one by one (the first rule that applies). */
public enum KeepReason {
  /** Not an IP packet with a flow key (ARP, ...): passed on as it is. */
  OTHER,
  /** ICMP or ICMPv6: errors, echo requests and replies. */
  ICMP,
  /** DNS (port 53). */
  DNS,
  /** TCP SYN, SYN-ACK, FIN or RST. */
  CONTROL,
  /** Among the first packets of its flow direction on this hop. */
  FIRST,
  /** TCP segment below the highest sequence seen on this hop: retransmission or out of order. */
  RETRANSMISSION,
  /** TCP segment after a pause in its direction on this hop (a timeout retransmission, maybe). */
  PAUSE,
  /** Selected by the fingerprint hash (trajectory sampling): the same on every hop. */
  SAMPLED
}
