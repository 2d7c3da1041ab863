package io.hoptrace.detect;

/**
 * Accounting and TCP sequence analysis of one direction of a conversation on one hop (the TCP state
 * and duplicate-capture ring in {@link io.hoptrace.contract.HopTcpState}, shared with the sensor's
 * reducer).
 */
public final class HopDir extends io.hoptrace.contract.HopTcpState {

  public long packets;
  public long bytes;
  public long firstTs = -1;
  public long retrans;
  public long fastRetrans;
  public long spurious;
  public final Win segWin = new Win();
  public final Win retransWin = new Win();
  public final Win largeDfRetransWin = new Win();
  // outermost encapsulation seen in this direction on this hop
  public int encapType = -1;
  public String outerSrc;
  public String outerDst;
  public int outerDport = -1;

  public long retransTotal() {
    return retrans + fastRetrans + spurious;
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
