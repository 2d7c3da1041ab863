package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve --metrics-port}'s scrape passes {@code promtool check metrics} (Debian's tool). */
class ServeMetricsIT {
  @TempDir Path store;

  @Test
  void serveMetricsPassPromtool() throws Exception {
    assumeTrue(
        Files.isExecutable(MetricsIT.PROMTOOL),
        "needs promtool (Debian package prometheus; .ci/run installs it)");
    try (ServeRun run = ServeRun.withMetrics(store)) {
      String base = run.base();
      assertThat(ServeRun.get(base + "api/status").statusCode()).isEqualTo(200);
      assertThat(ServeRun.get(base + "api/nothing").statusCode()).isEqualTo(404);
      String scrape = ServeRun.get(run.serve.metricsUrl).body();
      assertThat(scrape).contains("hoptrace_http_requests_seconds_count");
      MetricsIT.check(scrape);
    }
  }
}
