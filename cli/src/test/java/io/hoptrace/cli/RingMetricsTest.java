package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.capture.HopContext;
import io.hoptrace.evidence.HopRings;
import io.hoptrace.metrics.SensorMetrics;
import io.hoptrace.schema.InterfaceRole;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The packet rings' meters as the sensor's {@code /metrics} shows them (the names README gives).
 */
class RingMetricsTest {

  @Test
  void theRingsAreInThePrometheusScrape() {
    PrometheusMeterRegistry registry = MetricsServer.newRegistry();
    HopRings rings = new HopRings(1L << 20, 60_000_000_000L);
    SensorMetrics metrics = new SensorMetrics(registry);
    metrics.bindRings(rings);
    metrics.bindPcapAnswers(() -> 2);
    UnsafeBuffer frame = new UnsafeBuffer(new byte[128]);
    HopContext hop = new HopContext("node-a", null, "cni0", InterfaceRole.BRIDGE);
    rings.ring(hop).add(1, frame, 0, 128, 128, 1_000_000_000L);
    rings.ring(hop).add(1, frame, 0, 128, 128, 1_500_000_000L);

    String scrape = registry.scrape();

    assertThat(scrape)
        .contains(
            "hoptrace_sensor_ring_hops 1.0",
            "hoptrace_sensor_ring_packets 2.0",
            "hoptrace_sensor_ring_bound_bytes " + (double) (1L << 20),
            "hoptrace_sensor_ring_memory_bytes " + (double) rings.capacityBytes(),
            "hoptrace_sensor_ring_span_seconds 0.5",
            "hoptrace_sensor_ring_too_large_total 0.0",
            "hoptrace_sensor_pcap_requests_answered_total 2.0");
  }
}
