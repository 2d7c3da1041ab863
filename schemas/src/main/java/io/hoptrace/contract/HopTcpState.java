package io.hoptrace.contract;

/**
 * What one direction of one flow on one hop keeps for {@link TcpSequence} (Wireshark-style sequence
 * analysis, sequence numbers as unsigned 32-bit values, -1 unknown) and for recognising the second
 * capture of one packet on one hop. The detection core's per-hop accounting and the sensor's
 * reducer both extend it, so they judge a segment from the same state.
 */
public class HopTcpState {
  public static final int RING = 8;

  /** Capture time of the latest packet of this direction on this hop (-1 none). */
  public long lastTs = -1;

  public long nextSeq = -1;
  public long lastAck = -1;
  public int lastWin = -1;
  public int dupAcks;
  public long lastAckTs = -1;

  // recently seen fingerprints on this hop, to drop the second copy of a packet captured twice
  public final long[] ringFp = new long[RING];
  public final long[] ringTs = new long[RING];
  public int ringPos;

  /**
   * True if this fingerprint was seen within {@code windowNs} of ts (and records it if not).
   *
   * <p>One hop's packets arrive in capture order (one sensor, one interface, one flow key, one
   * partition), so an entry older than {@code ts - windowNs} can never match a later packet of this
   * hop: it is cleared, which keeps the ring (and the state written at every commit) to the entries
   * that still matter. A packet without fingerprint (0) is neither compared nor remembered. An
   * empty entry is always (0, 0).
   */
  public boolean duplicate(long fp, long ts, long windowNs) {
    if (fp == 0 || windowNs <= 0) {
      return false;
    }
    for (int i = 0; i < RING; i++) {
      if (ringFp[i] == 0) {
        continue;
      }
      if (ringFp[i] == fp && Math.abs(ts - ringTs[i]) <= windowNs) {
        return true;
      }
      if (ringTs[i] < ts - windowNs) {
        ringFp[i] = 0;
        ringTs[i] = 0;
      }
    }
    ringFp[ringPos] = fp;
    ringTs[ringPos] = ts;
    ringPos = (ringPos + 1) % RING;
    return false;
  }
}
