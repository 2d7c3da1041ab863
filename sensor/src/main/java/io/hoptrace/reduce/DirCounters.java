package io.hoptrace.reduce;

import io.hoptrace.contract.HopTcpState;
import io.hoptrace.schema.EncapType;

/**
 * One direction of one flow key on one hop in the {@link Reducer}'s table: the TCP analysis and
 * duplicate-capture ring ({@link HopTcpState}: every packet, kept or folded), and the counters of
 * the packets folded since they were last emitted.
 */
final class DirCounters extends HopTcpState {

  // identity of this direction (from its first packet)
  String src;
  String dst;
  int sport = -1;
  int dport = -1;

  /** Packets seen in this direction on this hop (kept or folded). */
  long seen;

  // folded packets not yet emitted
  long packets;
  long bytes;
  long firstTs = -1;
  long foldedLastTs = -1;
  long bucket;
  int maxWire = -1;
  long aboveMtu;
  int flags;
  long segments;
  long dataSegments;
  long pureAcks;
  long retransmissions;
  EncapType encapType;
  String outerSrc;
  String outerDst;
  int outerDport = -1;

  boolean pending() {
    return packets > 0;
  }

  /** Clears the folded counters after they were emitted. */
  void emitted() {
    packets = 0;
    bytes = 0;
    firstTs = -1;
    foldedLastTs = -1;
    maxWire = -1;
    aboveMtu = 0;
    flags = 0;
    segments = 0;
    dataSegments = 0;
    pureAcks = 0;
    retransmissions = 0;
  }
}
