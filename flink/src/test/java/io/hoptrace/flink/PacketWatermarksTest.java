package io.hoptrace.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.clock.ManualClock;
import org.junit.jupiter.api.Test;

class PacketWatermarksTest {
  private static final long LATENESS = 2_000;
  private static final long IDLE = 2_000;
  private static final long JUMP = 500_000;

  private final ManualClock clock = new ManualClock(1_000_000_000L);
  private final List<Object> out = new ArrayList<>();
  private final WatermarkOutput output =
      new WatermarkOutput() {
        @Override
        public void emitWatermark(Watermark w) {
          out.add(w.getTimestamp());
        }

        @Override
        public void markIdle() {
          out.add("idle");
        }

        @Override
        public void markActive() {
          out.add("active");
        }
      };
  private final PacketWatermarks w = new PacketWatermarks(LATENESS, IDLE, JUMP, clock);

  private static PacketIn packet(long ms) {
    return new PacketIn("k", ms * 1_000_000L, new byte[] {1});
  }

  @Test
  void watermarkTrailsTheLargestCaptureTimeByTheLateness() {
    w.onEvent(packet(10_000), 10_000, output);
    w.onEvent(packet(9_000), 9_000, output);
    w.onPeriodicEmit(output);
    assertThat(out).containsExactly(10_000 - LATENESS - 1);
  }

  @Test
  void endOfInputMovesThePartitionPastEveryWindowAtOnce() {
    w.onEvent(packet(10_000), 10_000, output);
    w.onEvent(PacketIn.flushMarker(), 0, output);
    assertThat(out).containsExactly(10_000 + JUMP);
    // later packets of an older capture do not move it back
    w.onEvent(packet(11_000), 11_000, output);
    w.onPeriodicEmit(output);
    assertThat(out).containsExactly(10_000 + JUMP, 10_000 + JUMP);
  }

  @Test
  void aPartitionWithoutRecordsIsIdleAtItsMarkerOrAfterTheIdleness() {
    w.onPeriodicEmit(output);
    assertThat(out).isEmpty();
    clock.advanceTime(Duration.ofMillis(IDLE));
    w.onPeriodicEmit(output);
    assertThat(out).containsExactly("idle");
    out.clear();
    w.onEvent(PacketIn.flushMarker(), 0, output);
    assertThat(out).containsExactly("idle");
  }

  @Test
  void silentPartitionGoesIdleAndHoldsNobodyBack() {
    w.onEvent(packet(10_000), 10_000, output);
    clock.advanceTime(Duration.ofMillis(IDLE - 1));
    w.onPeriodicEmit(output);
    clock.advanceTime(Duration.ofMillis(1));
    w.onPeriodicEmit(output);
    assertThat(out).containsExactly(10_000 - LATENESS - 1, "idle");
  }

  /** A replay's partitions: none idle before its marker, however long its first fetch takes. */
  @Test
  void neverIdleWaitsForTheMarker() {
    PacketWatermarks replay =
        new PacketWatermarks(LATENESS, DetectionGraph.NEVER_IDLE.toMillis(), JUMP, clock);
    clock.advanceTime(Duration.ofDays(365));
    replay.onPeriodicEmit(output);
    assertThat(out).isEmpty();
    replay.onEvent(packet(10_000), 10_000, output);
    clock.advanceTime(Duration.ofDays(365));
    replay.onPeriodicEmit(output);
    assertThat(out).containsExactly(10_000 - LATENESS - 1);
    replay.onEvent(PacketIn.flushMarker(), 0, output);
    assertThat(out).containsExactly(10_000 - LATENESS - 1, 10_000 + JUMP);
  }
}
