package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.metrics.SensorMetrics;
import io.hoptrace.spool.Spool;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool's meters as the sensor's {@code /metrics} shows them (the names README gives). */
class SpoolMetricsTest {

  @TempDir Path dir;

  @Test
  void theSpoolsStateIsInThePrometheusScrape() {
    PrometheusMeterRegistry registry = MetricsServer.newRegistry();
    try (Spool spool = Spool.open(dir, Spool.MIN_MAX_BYTES)) {
      new SensorMetrics(registry).bindSpool(spool);
      byte[] value = new byte[1000];
      int spooled = 0;
      while (spool.append((byte) 0, "k", value)) {
        spooled++;
      }
      spool.append((byte) 0, "k", value);

      String scrape = registry.scrape();

      assertThat(scrape)
          .contains(
              "hoptrace_sensor_spool_records " + (double) spooled,
              "hoptrace_sensor_spool_bytes " + (double) spool.bytes(),
              "hoptrace_sensor_spool_dropped_total 2.0",
              "hoptrace_sensor_spool_torn_total 0.0",
              "hoptrace_sensor_spool_oldest_age_seconds ");
    }
  }
}
