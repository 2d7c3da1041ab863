package io.hoptrace.contract;

/**
 * TCP sequence analysis of one direction on one hop, classified as Wireshark does (packet-tcp.c):
 * keep-alive, duplicate ACK, fast retransmission (after at least two duplicate ACKs, within 20 ms
 * of the last), spurious retransmission (data already acknowledged), out-of-order (within 3 ms of
 * the highest segment), and retransmission; SYN and FIN occupy one sequence number, so a repeated
 * SYN or FIN is a retransmission.
 *
 * <p>The one definition of that analysis: the detection core runs it over its per-hop accounting,
 * the sensor's reducer (io.hoptrace.reduce.Reducer) over its flow table, so a reducer's decision
 * "this segment is a retransmission candidate" and the detection's classification of it agree.
 */
public final class TcpSequence {
  public static final int FIN = 1;
  public static final int SYN = 2;
  public static final int RST = 4;
  public static final int ACK = 16;

  public static final int NONE = 0;
  public static final int RETRANSMISSION = 1;
  public static final int FAST_RETRANSMISSION = 2;
  public static final int SPURIOUS_RETRANSMISSION = 3;

  /**
   * Not a class of its own for the detection (it is {@link #NONE} there): a segment below the
   * highest sequence seen that was taken for out-of-order. Returned by {@link #analyze} only with
   * {@code withBehind}.
   */
  public static final int OUT_OF_ORDER = 4;

  private static final long FAST_WINDOW_NS = 20_000_000L;
  private static final long OOO_WINDOW_NS = 3_000_000L;
  private static final long MOD = 1L << 32;

  private TcpSequence() {}

  /**
   * Analyses one segment sent in direction {@code fwd} (the other direction {@code rev} of the same
   * hop supplies the ACK state), updates {@code fwd} and returns its classification; {@link
   * #OUT_OF_ORDER} only when {@code withBehind}, else {@link #NONE} for it.
   */
  public static int analyze(
      HopTcpState fwd,
      HopTcpState rev,
      int flags,
      long seqIn,
      long ackIn,
      int window,
      int payload,
      long ts,
      boolean withBehind) {
    long seq = seqIn & 0xFFFFFFFFL;
    long ack = ackIn & 0xFFFFFFFFL;
    int seglen = Math.max(0, payload);
    int seqSpace = seglen + ((flags & SYN) != 0 ? 1 : 0) + ((flags & FIN) != 0 ? 1 : 0);
    boolean control = (flags & (SYN | FIN | RST)) != 0;
    int result = NONE;

    long nextSeq = fwd.nextSeq;
    if (nextSeq >= 0) {
      boolean keepAlive = seglen <= 1 && !control && seq == mod(nextSeq - 1);
      // duplicate ACK bookkeeping of this direction
      if (seglen == 0
          && !control
          && (flags & ACK) != 0
          && seq == nextSeq
          && ack == fwd.lastAck
          && window == fwd.lastWin) {
        fwd.dupAcks++;
      } else if ((flags & ACK) != 0 && ack != fwd.lastAck) {
        fwd.dupAcks = 0;
      }
      if ((seglen > 0 || (flags & (SYN | FIN)) != 0) && lt(seq, nextSeq) && !keepAlive) {
        if (rev.dupAcks >= 2 && rev.lastAck == seq && ts - rev.lastAckTs <= FAST_WINDOW_NS) {
          result = FAST_RETRANSMISSION;
        } else if (fwd.lastTs >= 0
            && ts - fwd.lastTs < OOO_WINDOW_NS
            && mod(seq + seqSpace) != nextSeq) {
          result = withBehind ? OUT_OF_ORDER : NONE; // out-of-order, not a retransmission
        } else if (seglen > 0 && rev.lastAck >= 0 && le(mod(seq + seglen), rev.lastAck)) {
          result = SPURIOUS_RETRANSMISSION;
        } else {
          result = RETRANSMISSION;
        }
      }
    }
    long end = mod(seq + seqSpace);
    if (nextSeq < 0 || gt(end, nextSeq)) {
      fwd.nextSeq = end;
    }
    if ((flags & ACK) != 0) {
      if (ack != fwd.lastAck) {
        fwd.lastAckTs = ts;
      } else if (fwd.dupAcks > 0) {
        fwd.lastAckTs = ts;
      }
      fwd.lastAck = ack;
    }
    fwd.lastWin = window;
    return result;
  }

  private static long mod(long v) {
    return ((v % MOD) + MOD) % MOD;
  }

  /** a < b in 32-bit sequence space. */
  public static boolean lt(long a, long b) {
    return (int) (a - b) < 0;
  }

  public static boolean gt(long a, long b) {
    return (int) (a - b) > 0;
  }

  public static boolean le(long a, long b) {
    return (int) (a - b) <= 0;
  }
}
