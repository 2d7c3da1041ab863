package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.decode.DecoderConfig;
import io.hoptrace.flink.FlinkHost;
import io.hoptrace.replay.Analysis;
import io.hoptrace.replay.ManifestReader;
import io.hoptrace.replay.Recordings;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.FlowRecord;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: the Flink job's {@code /metrics} ({@code analyze --engine flink --metrics-port}: the
 * Flink host, {@link JobMetricsOptions} as the command starts and follows it) under the names of
 * the Kafka Streams job, scraped while a recording is replayed and after: the counters say what the
 * replay reported — every alert record, every alert resolved at the end, every conversation, every
 * summary — and the scrape passes {@code promtool check metrics} where Debian's Prometheus tools
 * are installed ({@code .ci/run} installs them).
 */
class FlinkMetricsIT {
  @Test
  void flinkJobMetricsCountWhatTheReplayReported() throws Exception {
    JobMetricsOptions options = new JobMetricsOptions();
    options.metricsPort = 0;
    options.metricsBind = "127.0.0.1";
    StringWriter said = new StringWriter();
    try (FlinkHost host = FlinkHost.builder().start();
        JobMetricsOptions.Served served =
            options
                .start(JobMetricsOptions.statsOf(host), "analyze", new PrintWriter(said, true))
                .follow(host)) {
      assertThat(said.toString()).contains("hoptrace analyze: metrics on http://127.0.0.1:");
      String url = "http://127.0.0.1:" + served.port() + "/metrics";
      Analysis.Result r =
          MetricsIT.scrapedWhile(
              () ->
                  new Analysis(
                          host,
                          DecoderConfig.defaults(),
                          InstantSource.system(),
                          Duration.ofMinutes(2))
                      .run(
                          ManifestReader.read(
                              Path.of("..", Recordings.RECORDINGS)
                                  .resolve("vxlan-blocked/manifest.json")),
                          m -> {}),
              url);
      long finalFlows = r.flowRecords().stream().filter(FlowRecord::getFinal$).count();
      assertThat(r.alerts()).isNotEmpty();

      // the followers read the committed records: wait until they have read all of them
      String last = scrape(url);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while ((sum(last, "hoptrace_alerts_total", "") < r.alertRecords().size()
              || sum(last, "hoptrace_flows_total", "") < finalFlows)
          && System.nanoTime() < deadline) {
        Thread.sleep(200);
        last = scrape(url);
      }
      check(last);
      assertThat(sum(last, "hoptrace_alerts_total", "")).isEqualTo(r.alertRecords().size());
      assertThat(sum(last, "hoptrace_alerts_total", "status=\"" + AlertStatus.RESOLVED + "\""))
          .as("alerts analyze prints (each resolved at the end of input)")
          .isEqualTo(r.alerts().size());
      assertThat(sum(last, "hoptrace_flows_total", ""))
          .as("conversations analyze prints")
          .isEqualTo(finalFlows)
          .isEqualTo(r.flows().size());
      assertThat(sum(last, "hoptrace_summaries_processed_total", ""))
          .as("summaries analyze prints")
          .isEqualTo(r.summaries());
      assertThat(sum(last, "hoptrace_conversations_started_total", "")).isPositive();
      assertThat(last)
          .containsPattern(
              "hoptrace_lost_packets_total\\{after=\"node-b/ens33\",before=\"node-b/flannel.1\"\\}"
                  + " [1-9]")
          .containsPattern("hoptrace_alerts_firing\\{type=\"ONE_WAY\"\\} 0")
          .containsPattern("hoptrace_event_time_lag_seconds [0-9]")
          .contains("jvm_memory_used_bytes");
    }
  }

  /** The sum of the samples of {@code name} whose labels contain {@code labels}. */
  static long sum(String exposition, String name, String labels) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$")
            .matcher(exposition);
    double total = 0;
    while (m.find()) {
      if (labels.isEmpty() || (m.group(1) != null && m.group(1).contains(labels))) {
        total += Double.parseDouble(m.group(2));
      }
    }
    return Math.round(total);
  }

  private static String scrape(String url) throws Exception {
    return MetricsIT.scrape(url);
  }

  /** {@code promtool check metrics} on a scrape, where promtool is installed. */
  private static void check(String exposition) throws Exception {
    if (Files.isExecutable(MetricsIT.PROMTOOL)) {
      MetricsIT.check(exposition);
    }
  }
}
