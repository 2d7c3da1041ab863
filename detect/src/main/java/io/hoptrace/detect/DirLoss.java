package io.hoptrace.detect;

/** Where the packets of one direction got to, from settled fingerprints. */
public final class DirLoss {
  public final Win delivered = new Win();
  public final Win lost = new Win();
  public final Win lostLarge = new Win();
  public final Win lostSmall = new Win();
  public final Win deliveredSmall = new Win();
  public long lastLostTs = -1;
  public long totalLost;
  public String lostAfter;
  public String lostBefore;
  public int maxDeliveredSize = -1;
  public int minLostSize = -1;

  /** Last hop that saw packets of this direction (by path order), for unlocalised verdicts. */
  public String lastHop;

  public void merge(DirLoss o) {
    delivered.merge(o.delivered);
    lost.merge(o.lost);
    lostLarge.merge(o.lostLarge);
    lostSmall.merge(o.lostSmall);
    deliveredSmall.merge(o.deliveredSmall);
    if (o.lastLostTs > lastLostTs) {
      lastLostTs = o.lastLostTs;
      lostAfter = o.lostAfter;
      lostBefore = o.lostBefore;
    }
    totalLost += o.totalLost;
    maxDeliveredSize = Math.max(maxDeliveredSize, o.maxDeliveredSize);
    if (o.minLostSize > 0) {
      minLostSize = minLostSize < 0 ? o.minLostSize : Math.min(minLostSize, o.minLostSize);
    }
    if (lastHop == null) {
      lastHop = o.lastHop;
    }
  }
}
