package io.hoptrace.detect;

import io.hoptrace.detect.net.Ip;
import io.hoptrace.schema.EncapLayer;
import io.hoptrace.schema.PacketSummary;
import io.hoptrace.schema.TcpInfo;
import java.util.List;

/**
 * One packet into the accounting of the hop and direction that captured it ({@link HopDir}): the
 * same packet captured twice on the hop is recognised (its fingerprint among the hop's recent
 * ones), TCP segments are classified ({@link TcpAnalyzer}: retransmission, fast, spurious),
 * packets, bytes and first/last time counted, and the encapsulation's outer header kept.
 */
final class HopAccounting {
  /** {@link #account} found the packet already accounted on this hop. */
  static final int DUPLICATE = Integer.MIN_VALUE;

  private HopAccounting() {}

  /**
   * Accounts packet {@code p} in direction {@code d} of {@code slot}; returns its {@link
   * TcpAnalyzer} class ({@link TcpAnalyzer#NONE} when not TCP) or {@link #DUPLICATE} (then nothing
   * was counted).
   */
  static int account(
      HopSlot slot,
      int d,
      PacketSummary p,
      TcpInfo tcp,
      int payload,
      int size,
      long fp,
      long ts,
      long dupNs) {
    HopDir hd = slot.dir[d];
    if (hd.duplicate(fp, ts, dupNs)) {
      return DUPLICATE;
    }
    int cls = TcpAnalyzer.NONE;
    if (tcp != null) {
      cls = TcpAnalyzer.analyze(hd, slot.dir[1 - d], tcp, payload, ts);
      switch (cls) {
        case TcpAnalyzer.NONE -> {}
        case TcpAnalyzer.FAST_RETRANSMISSION -> hd.fastRetrans++;
        case TcpAnalyzer.SPURIOUS_RETRANSMISSION -> hd.spurious++;
        default -> hd.retrans++;
      }
    }
    hd.packets++;
    hd.bytes += Math.max(0, size);
    hd.firstTs = hd.firstTs < 0 ? ts : Math.min(hd.firstTs, ts);
    hd.lastTs = Math.max(hd.lastTs, ts);
    List<EncapLayer> encap = p.getEncap();
    if (!encap.isEmpty()) {
      EncapLayer l = encap.get(0);
      hd.encapType = StateCodes.encap(l.getType());
      hd.outerSrc = Ip.canonical(l.getOuterSrc());
      hd.outerDst = Ip.canonical(l.getOuterDst());
      hd.outerDport = l.getOuterDport();
    }
    return cls;
  }
}
