package io.hoptrace.detect;

import io.hoptrace.contract.TcpSequence;
import io.hoptrace.schema.TcpInfo;

/**
 * TCP sequence analysis of one direction on one hop ({@link TcpSequence}, shared with the sensor's
 * reducer), over the core's per-hop accounting ({@link HopDir}).
 */
public final class TcpAnalyzer {
  public static final int FIN = TcpSequence.FIN;
  public static final int SYN = TcpSequence.SYN;
  public static final int RST = TcpSequence.RST;
  public static final int ACK = TcpSequence.ACK;

  public static final int NONE = TcpSequence.NONE;
  public static final int RETRANSMISSION = TcpSequence.RETRANSMISSION;
  public static final int FAST_RETRANSMISSION = TcpSequence.FAST_RETRANSMISSION;
  public static final int SPURIOUS_RETRANSMISSION = TcpSequence.SPURIOUS_RETRANSMISSION;

  private TcpAnalyzer() {}

  /**
   * Analyses one segment sent in direction {@code fwd} (the other direction {@code rev} of the same
   * hop supplies the ACK state) and returns its classification.
   */
  static int analyze(HopDir fwd, HopDir rev, TcpInfo tcp, int payload, long ts) {
    return TcpSequence.analyze(
        fwd, rev, tcp.getFlags(), tcp.getSeq(), tcp.getAck(), tcp.getWindow(), payload, ts, false);
  }
}
