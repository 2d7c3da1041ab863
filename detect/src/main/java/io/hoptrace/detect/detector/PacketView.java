package io.hoptrace.detect.detector;

import io.hoptrace.detect.HopDir;
import io.hoptrace.schema.PacketSummary;

/**
 * The packet being processed, as the core decoded and accounted it. One mutable instance per core,
 * refilled for every packet (no allocation on the hot path); valid during {@link Detector#onPacket}
 * only.
 */
public final class PacketView {
  /** The packet summary itself. */
  public PacketSummary packet;

  /** Hop id ({@code node/pod/iface} or {@code node/iface}). */
  public String hop;

  /** Canonical source and destination addresses. */
  public String src;

  public String dst;
  public int sport;
  public int dport;
  public int proto;
  public long ts;

  /** Direction in the conversation: 0 initiator to responder, 1 reverse. */
  public int dir;

  /** The hop slot's accounting of this direction, or null when the hop was not tracked. */
  public HopDir hopDir;

  /** Whether the packet has a TCP header. */
  public boolean tcp;

  /** TCP flags (0 without TCP). */
  public int flags;

  /** TCP analysis class ({@code TcpAnalyzer.NONE}, retransmission kinds). */
  public int tcpClass;

  /** Payload bytes (>= 0). */
  public int payload;

  /** IP length (else wire length). */
  public int size;
}
