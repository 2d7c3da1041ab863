package io.hoptrace.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.metrics.SensorMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SensorMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final SensorMetrics metrics = new SensorMetrics(registry);

  @Test
  void theSpoolsStateIsReadAtScrapeTime() {
    long[] v = {4096, 12, 3, 1, 2500};
    metrics.bindSpool(
        new SensorMetrics.SpoolStats() {
          @Override
          public long bytes() {
            return v[0];
          }

          @Override
          public long records() {
            return v[1];
          }

          @Override
          public long dropped() {
            return v[2];
          }

          @Override
          public long torn() {
            return v[3];
          }

          @Override
          public long oldestAgeMillis() {
            return v[4];
          }
        });
    v[1] = 13;
    v[2] = 5;

    assertThat(registry.get(SensorMetrics.SPOOL_BYTES).gauge().value()).isEqualTo(4096.0);
    assertThat(registry.get(SensorMetrics.SPOOL_RECORDS).gauge().value()).isEqualTo(13.0);
    assertThat(registry.get(SensorMetrics.SPOOL_OLDEST_AGE).gauge().value()).isEqualTo(2.5);
    assertThat(registry.get(SensorMetrics.SPOOL_DROPPED).functionCounter().count()).isEqualTo(5.0);
    assertThat(registry.get(SensorMetrics.SPOOL_TORN).functionCounter().count()).isEqualTo(1.0);
  }

  @Test
  void theRingsAreReadAtScrapeTime() {
    io.hoptrace.evidence.HopRings rings =
        new io.hoptrace.evidence.HopRings(4L << 20, 60_000_000_000L);
    metrics.bindRings(rings);
    assertThat(registry.get(SensorMetrics.RING_HOPS).gauge().value()).isZero();
    assertThat(registry.get(SensorMetrics.RING_SPAN).gauge().value()).isZero();

    var pod =
        new io.hoptrace.capture.HopContext(
            "node-a", "pod-a1", "eth0", io.hoptrace.schema.InterfaceRole.POD);
    var uplink =
        new io.hoptrace.capture.HopContext(
            "node-a", null, "ens33", io.hoptrace.schema.InterfaceRole.UPLINK);
    var frame = new org.agrona.concurrent.UnsafeBuffer(new byte[3 << 20]);
    rings.ring(pod).add(1, frame, 0, 100, 100, 1_000_000_000L);
    rings.ring(pod).add(1, frame, 0, 100, 100, 4_000_000_000L);
    rings.ring(uplink).add(1, frame, 0, 100, 100, 2_000_000_000L);
    rings.ring(uplink).add(1, frame, 0, 100, 100, 3_500_000_000L);
    // larger than the uplink's share (2 MB of 4): not kept, counted
    rings.ring(uplink).add(1, frame, 0, 3 << 20, 3 << 20, 3_600_000_000L);

    assertThat(registry.get(SensorMetrics.RING_HOPS).gauge().value()).isEqualTo(2.0);
    assertThat(registry.get(SensorMetrics.RING_PACKETS).gauge().value()).isEqualTo(4.0);
    assertThat(registry.get(SensorMetrics.RING_BOUND).gauge().value()).isEqualTo(4.0 * (1 << 20));
    // the arenas as they grew (from 8 KiB, with their hop's traffic), within the bound
    assertThat(registry.get(SensorMetrics.RING_MEMORY).gauge().value())
        .isEqualTo((double) rings.capacityBytes())
        .isPositive()
        .isLessThan(4.0 * (1 << 20));
    // the pod's ring reaches 3 s back, the uplink's 1.6 s (its newest is the packet not kept)
    assertThat(registry.get(SensorMetrics.RING_SPAN).gauge().value()).isEqualTo(1.6);
    assertThat(registry.get(SensorMetrics.RING_TOO_LARGE).functionCounter().count()).isEqualTo(1.0);
  }

  @Test
  void pcapAnswersAreCounted() {
    AtomicLong answered = new AtomicLong();
    metrics.bindPcapAnswers(answered::get);
    answered.set(3);
    assertThat(registry.get(SensorMetrics.PCAP_ANSWERED).functionCounter().count()).isEqualTo(3.0);
  }

  @Test
  void pushedCountsShowInTheRegistry() {
    metrics.captured(10);
    metrics.decoded();
    metrics.decoded(4);
    metrics.sent();
    metrics.sendFailed();
    metrics.sendFailed(2);

    assertThat(registry.get(SensorMetrics.CAPTURED).counter().count()).isEqualTo(10.0);
    assertThat(registry.get(SensorMetrics.DECODED).counter().count()).isEqualTo(5.0);
    assertThat(registry.get(SensorMetrics.SENT).counter().count()).isEqualTo(1.0);
    assertThat(registry.get(SensorMetrics.SEND_FAILED).counter().count()).isEqualTo(3.0);
  }

  @Test
  void decodeStatusesAreReadFromBoundCountersAndAddedToPushedOnes() {
    long[] perStatus = {7, 2};
    List<String> names = List.of("OK", "TRUNCATED_IPV4");
    metrics.bindDecodeStatuses(names, reason -> perStatus[names.indexOf(reason)]);
    metrics.bindDecodeStatus("OK", () -> 3);
    metrics.decodeFailed("TRUNCATED_IPV4");
    perStatus[1] = 5;

    assertThat(statusCount("OK")).isEqualTo(10.0);
    assertThat(statusCount("TRUNCATED_IPV4")).isEqualTo(6.0);
    assertThat(metrics.decodeStatusCount("TRUNCATED_IPV4")).isEqualTo(6);
    assertThat(metrics.decodeStatusCount("BAD_IHL")).isZero();
  }

  @Test
  void captureDropsAreAGaugePerInterface() {
    AtomicLong drops = new AtomicLong();
    metrics.bindCaptureDrops("flannel.1", drops::get);
    drops.set(42);

    assertThat(
            registry
                .get(SensorMetrics.CAPTURE_DROPS)
                .tag(SensorMetrics.IFACE_TAG, "flannel.1")
                .gauge()
                .value())
        .isEqualTo(42.0);
  }

  @Test
  void theNoopMetricsAcceptEverything() {
    SensorMetrics noop = SensorMetrics.noop();
    noop.captured(1);
    noop.decodeFailed("BAD_IHL");
    noop.bindCaptureDrops("eth0", () -> 1);

    assertThat(noop.decodeStatusCount("BAD_IHL")).isEqualTo(1);
  }

  private double statusCount(String reason) {
    return registry
        .get(SensorMetrics.DECODE_STATUS)
        .tag(SensorMetrics.REASON_TAG, reason)
        .functionCounter()
        .count();
  }
}
