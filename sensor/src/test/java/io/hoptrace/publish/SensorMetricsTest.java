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
