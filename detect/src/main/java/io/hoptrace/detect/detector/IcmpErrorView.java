package io.hoptrace.detect.detector;

import io.hoptrace.schema.FiveTuple;
import io.hoptrace.schema.IcmpInfo;
import io.hoptrace.schema.PacketSummary;

/**
 * An ICMP error (destination unreachable, time exceeded, packet too big) as the core attributed it
 * to the conversation of the packet it quotes. Mutable, reused; valid during {@link
 * Detector#onIcmpError} only.
 */
public final class IcmpErrorView {
  /** The ICMP error packet. */
  public PacketSummary packet;

  public IcmpInfo icmp;

  /** The quoted (inner, for underlay errors) 5-tuple, and its flow key. */
  public FiveTuple quoted;

  public String key;
  public String quotedSrc;
  public String quotedDst;

  /** Hop that captured the error. */
  public String hop;

  /** Canonical address of the reporting router/host. */
  public String reporter;

  public long ts;

  /** Port unreachable (the peer rejected), and frag-needed / packet-too-big. */
  public boolean portUnreachable;

  public boolean tooBig;
}
