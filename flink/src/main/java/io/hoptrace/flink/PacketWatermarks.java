package io.hoptrace.flink;

import io.hoptrace.detect.AlertAggregator;
import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.detect.FlowDetector;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.util.clock.RelativeClock;

/**
 * Event time of one packets partition (the Kafka source generates watermarks per partition): the
 * largest capture time seen minus the core's lateness ({@code lateness.ms}, how long a sensor's
 * report of a packet may trail another hop's), so a timer fires once every summary up to its time
 * is in. A partition without records for the idleness is marked idle and holds nobody back.
 *
 * <p>End of input: the partition's end-of-input marker moves its watermark by the time both stages
 * need to end every conversation and drain every window ({@link FlowDetector#endOfInputNanos},
 * {@link AlertAggregator#endOfInputNanos}), past its largest capture time: once every partition's
 * marker is in, every timer of both stages fires — stage 2's after stage 1's findings, since stage
 * 1 forwards the watermark after its timers. A marker on a partition that never had a record marks
 * it idle.
 */
public final class PacketWatermarks implements WatermarkGenerator<PacketIn> {
  private final long latenessMs;
  private final long idleMs;
  private final long endJumpMs;
  private final RelativeClock clock;
  private long maxMs = Long.MIN_VALUE;
  private long endFloor = Long.MIN_VALUE;
  private long lastActivity;

  public PacketWatermarks(long latenessMs, long idleMs, long endJumpMs, RelativeClock clock) {
    this.latenessMs = latenessMs;
    this.idleMs = idleMs;
    this.endJumpMs = endJumpMs;
    this.clock = clock;
    this.lastActivity = clock.relativeTimeMillis();
  }

  /** The strategy of the packets source: capture time, these watermarks, the given idleness. */
  public static WatermarkStrategy<PacketIn> strategy(DetectionConfig cfg, Duration idleness) {
    long lateness = cfg.get(DetectionConfig.LATENESS_MS);
    long jump = endJumpMillis(cfg);
    long idle = idleness.toMillis();
    return WatermarkStrategy.<PacketIn>forGenerator(
            ctx -> new PacketWatermarks(lateness, idle, jump, ctx.getInputActivityClock()))
        .withTimestampAssigner((p, recordTs) -> p.flush ? recordTs : p.tsNanos / 1_000_000L);
  }

  /** How far (ms) end of input moves event time past the largest capture time. */
  public static long endJumpMillis(DetectionConfig cfg) {
    return (FlowDetector.endOfInputNanos(cfg) + AlertAggregator.endOfInputNanos(cfg)) / 1_000_000L
        + 1;
  }

  @Override
  public void onEvent(PacketIn p, long timestampMs, WatermarkOutput out) {
    lastActivity = clock.relativeTimeMillis();
    if (!p.flush) {
      maxMs = Math.max(maxMs, timestampMs);
      return;
    }
    if (maxMs == Long.MIN_VALUE) {
      out.markIdle();
      return;
    }
    endFloor = Math.max(endFloor, maxMs + endJumpMs);
    out.emitWatermark(new Watermark(current()));
  }

  private long current() {
    return Math.max(endFloor, maxMs - latenessMs - 1);
  }

  @Override
  public void onPeriodicEmit(WatermarkOutput out) {
    if (clock.relativeTimeMillis() - lastActivity >= idleMs) {
      out.markIdle();
      return;
    }
    if (maxMs != Long.MIN_VALUE) {
      out.emitWatermark(new Watermark(current()));
    }
  }
}
