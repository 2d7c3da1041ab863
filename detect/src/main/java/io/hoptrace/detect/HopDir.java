package io.hoptrace.detect;

/** Accounting and TCP sequence analysis of one direction of a conversation on one hop. */
public final class HopDir {
  public static final int RING = 8;

  public long packets;
  public long bytes;
  public long firstTs = -1;
  public long lastTs = -1;
  public long retrans;
  public long fastRetrans;
  public long spurious;
  public final Win segWin = new Win();
  public final Win retransWin = new Win();
  public final Win largeDfRetransWin = new Win();
  // TCP analysis, Wireshark style (sequence numbers as unsigned 32-bit values, -1 unknown)
  public long nextSeq = -1;
  public long lastAck = -1;
  public int lastWin = -1;
  public int dupAcks;
  public long lastAckTs = -1;
  // recently seen fingerprints on this hop, to drop the second copy of a packet captured twice
  public final long[] ringFp = new long[RING];
  public final long[] ringTs = new long[RING];
  public int ringPos;
  // outermost encapsulation seen in this direction on this hop
  public int encapType = -1;
  public String outerSrc;
  public String outerDst;
  public int outerDport = -1;

  public long retransTotal() {
    return retrans + fastRetrans + spurious;
  }

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

  public void merge(HopDir o) {
    packets += o.packets;
    bytes += o.bytes;
    firstTs = firstTs < 0 ? o.firstTs : (o.firstTs < 0 ? firstTs : Math.min(firstTs, o.firstTs));
    lastTs = Math.max(lastTs, o.lastTs);
    retrans += o.retrans;
    fastRetrans += o.fastRetrans;
    spurious += o.spurious;
    segWin.merge(o.segWin);
    retransWin.merge(o.retransWin);
    largeDfRetransWin.merge(o.largeDfRetransWin);
    if (nextSeq < 0) {
      nextSeq = o.nextSeq;
      lastAck = o.lastAck;
      lastWin = o.lastWin;
      dupAcks = o.dupAcks;
      lastAckTs = o.lastAckTs;
    }
    if (encapType < 0) {
      encapType = o.encapType;
      outerSrc = o.outerSrc;
      outerDst = o.outerDst;
      outerDport = o.outerDport;
    }
  }
}
