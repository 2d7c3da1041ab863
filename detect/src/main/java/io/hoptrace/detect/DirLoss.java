package io.hoptrace.detect;

/** Where the packets of one direction got to, from settled fingerprints. */
final class DirLoss {
  final Win delivered = new Win();
  final Win lost = new Win();
  final Win lostLarge = new Win();
  final Win lostSmall = new Win();
  final Win deliveredSmall = new Win();
  long lastLostTs = -1;
  long totalLost;
  String lostAfter;
  String lostBefore;
  int maxDeliveredSize = -1;
  int minLostSize = -1;

  /** Last hop that saw packets of this direction (by path order), for unlocalised verdicts. */
  String lastHop;

  void merge(DirLoss o) {
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
