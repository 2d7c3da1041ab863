package io.hoptrace.detect;

import io.hoptrace.schema.TcpInfo;

/**
 * TCP sequence analysis of one direction on one hop, classified as Wireshark does (packet-tcp.c):
 * keep-alive, duplicate ACK, fast retransmission (after at least two duplicate ACKs, within 20 ms
 * of the last), spurious retransmission (data already acknowledged), out-of-order (within 3 ms of
 * the highest segment), and retransmission; SYN and FIN occupy one sequence number, so a repeated
 * SYN or FIN is a retransmission.
 */
public final class TcpAnalyzer {
  public static final int FIN = 1;
  public static final int SYN = 2;
  public static final int RST = 4;
  public static final int ACK = 16;

  public static final int NONE = 0;
  public static final int RETRANSMISSION = 1;
  public static final int FAST_RETRANSMISSION = 2;
  public static final int SPURIOUS_RETRANSMISSION = 3;

  private static final long FAST_WINDOW_NS = 20_000_000L;
  private static final long OOO_WINDOW_NS = 3_000_000L;
  private static final long MOD = 1L << 32;

  private TcpAnalyzer() {}

  /**
   * Analyses one segment sent in direction {@code fwd} (the other direction {@code rev} of the same
   * hop supplies the ACK state) and returns its classification.
   */
  static int analyze(HopDir fwd, HopDir rev, TcpInfo tcp, int payload, long ts) {
    int flags = tcp.getFlags();
    long seq = tcp.getSeq() & 0xFFFFFFFFL;
    long ack = tcp.getAck() & 0xFFFFFFFFL;
    int seglen = Math.max(0, payload);
    int seqSpace = seglen + ((flags & SYN) != 0 ? 1 : 0) + ((flags & FIN) != 0 ? 1 : 0);
    boolean control = (flags & (SYN | FIN | RST)) != 0;
    int result = NONE;

    if (fwd.nextSeq >= 0) {
      boolean keepAlive = seglen <= 1 && !control && seq == mod(fwd.nextSeq - 1);
      // duplicate ACK bookkeeping of this direction
      if (seglen == 0
          && !control
          && (flags & ACK) != 0
          && seq == fwd.nextSeq
          && ack == fwd.lastAck
          && tcp.getWindow() == fwd.lastWin) {
        fwd.dupAcks++;
      } else if ((flags & ACK) != 0 && ack != fwd.lastAck) {
        fwd.dupAcks = 0;
      }
      if ((seglen > 0 || (flags & (SYN | FIN)) != 0) && lt(seq, fwd.nextSeq) && !keepAlive) {
        if (rev.dupAcks >= 2 && rev.lastAck == seq && ts - rev.lastAckTs <= FAST_WINDOW_NS) {
          result = FAST_RETRANSMISSION;
        } else if (fwd.lastTs >= 0
            && ts - fwd.lastTs < OOO_WINDOW_NS
            && mod(seq + seqSpace) != fwd.nextSeq) {
          result = NONE; // out-of-order, not a retransmission
        } else if (seglen > 0 && rev.lastAck >= 0 && le(mod(seq + seglen), rev.lastAck)) {
          result = SPURIOUS_RETRANSMISSION;
        } else {
          result = RETRANSMISSION;
        }
      }
    }
    long end = mod(seq + seqSpace);
    if (fwd.nextSeq < 0 || gt(end, fwd.nextSeq)) {
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
    fwd.lastWin = tcp.getWindow();
    return result;
  }

  private static long mod(long v) {
    return ((v % MOD) + MOD) % MOD;
  }

  /** a < b in 32-bit sequence space. */
  static boolean lt(long a, long b) {
    return (int) (a - b) < 0;
  }

  static boolean gt(long a, long b) {
    return (int) (a - b) > 0;
  }

  static boolean le(long a, long b) {
    return (int) (a - b) <= 0;
  }
}
