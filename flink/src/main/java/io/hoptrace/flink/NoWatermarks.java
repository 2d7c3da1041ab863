package io.hoptrace.flink;

import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Watermarks of the nodes and drops topics: none, the input is idle for good. The inventory is
 * state, not a time series, and drop records carry the sensors' wall clock and never move event
 * time: such an input must neither hold stage 1's event time back (an operator's watermark is the
 * smallest of its active inputs') nor push it forward (a watermark of its own at the end of time
 * would become stage 1's whenever the packets input is idle). Marked idle again at every periodic
 * emission, in case a record made it active.
 */
final class NoWatermarks<T> implements WatermarkGenerator<T> {
  static <T> WatermarkStrategy<T> strategy() {
    return WatermarkStrategy.forGenerator(ctx -> new NoWatermarks<>());
  }

  @Override
  public void onEvent(T event, long timestamp, WatermarkOutput out) {}

  @Override
  public void onPeriodicEmit(WatermarkOutput out) {
    out.markIdle();
  }
}
