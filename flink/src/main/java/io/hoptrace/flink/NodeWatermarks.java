package io.hoptrace.flink;

import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Watermarks of the nodes topic: none, the input is idle for good. The inventory is state, not a
 * time series: the broadcast input must neither hold stage 1's event time back (a two-input
 * operator's watermark is the smaller of its active inputs') nor push it forward (a watermark of
 * its own at the end of time would become stage 1's whenever the packets input is idle). Marked
 * idle again at every periodic emission, in case a record made it active.
 */
final class NodeWatermarks implements WatermarkGenerator<NodeUpdate> {
  static WatermarkStrategy<NodeUpdate> strategy() {
    return WatermarkStrategy.forGenerator(ctx -> new NodeWatermarks());
  }

  @Override
  public void onEvent(NodeUpdate event, long timestamp, WatermarkOutput out) {}

  @Override
  public void onPeriodicEmit(WatermarkOutput out) {
    out.markIdle();
  }
}
