package io.hoptrace.flink;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Watermarks of the nodes topic: none of its own. The inventory is state, not a time series, so the
 * broadcast input must never hold stage 1's event time back (a two-input operator's watermark is
 * the smaller of its inputs'): it always says "no record older than the end of time follows".
 */
final class NodeWatermarks implements WatermarkGenerator<NodeUpdate> {
  static WatermarkStrategy<NodeUpdate> strategy() {
    return WatermarkStrategy.forGenerator(ctx -> new NodeWatermarks());
  }

  @Override
  public void onEvent(NodeUpdate event, long timestamp, WatermarkOutput out) {}

  @Override
  public void onPeriodicEmit(WatermarkOutput out) {
    out.emitWatermark(new Watermark(Long.MAX_VALUE));
  }
}
