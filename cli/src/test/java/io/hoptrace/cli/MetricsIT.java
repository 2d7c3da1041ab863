package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hoptrace.capture.CaptureFileReader;
import io.hoptrace.capture.HopContext;
import io.hoptrace.decode.DecoderConfig;
import io.hoptrace.metrics.SensorMetrics;
import io.hoptrace.pipeline.DetectionHost;
import io.hoptrace.pipeline.EmbeddedPipeline;
import io.hoptrace.pipeline.metrics.JobMetrics;
import io.hoptrace.publish.PublisherConfig;
import io.hoptrace.publish.SensorPipeline;
import io.hoptrace.publish.SummaryPublisher;
import io.hoptrace.replay.Recordings;
import io.hoptrace.replay.Replay;
import io.hoptrace.schema.InterfaceRole;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The job's and the sensor's {@code /metrics}, scraped over HTTP while a recording is replayed,
 * pass {@code promtool check metrics} (Debian's Prometheus tools; {@code .ci/run} installs them),
 * and say what the recording did: vxlan-blocked's ONE_WAY alerts and the packets lost between
 * node-b/ens33 and node-b/flannel.1. Every metric the Grafana dashboards query is among them.
 */
class MetricsIT {
  static final Path PROMTOOL = Path.of("/usr/bin/promtool");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void jobAndSensorMetricsPassPromtoolWhileARecordingIsReplayed() throws Exception {
    assumeTrue(
        Files.isExecutable(PROMTOOL),
        "needs promtool (Debian package prometheus; .ci/run installs it)");
    Set<String> exposed = new TreeSet<>();
    PrometheusMeterRegistry registry = MetricsServer.newRegistry();
    try (EmbeddedPipeline p = EmbeddedPipeline.builder().start();
        MetricsServer server = MetricsServer.start(registry, "127.0.0.1", 0)) {
      JobMetrics metrics = new JobMetrics(registry, p.detectionStats(), InstantSource.system());
      String url = "http://127.0.0.1:" + server.port() + "/metrics";
      try (DetectionHost.Watch a = p.watchAlerts(metrics::onAlert);
          DetectionHost.Watch f = p.watchFlows(metrics::onFlow)) {
        scrapedWhile(
            () ->
                new Replay(
                        p, DecoderConfig.defaults(), InstantSource.system(), Duration.ofMinutes(2))
                    .pacing(new Replay.Pacing(4))
                    .startAt(Long.MIN_VALUE)
                    .run(Recordings.manifest("vxlan-blocked"), () -> false, m -> {}),
            url);
        Thread.sleep(2_000); // the followers read the last committed records
        String last = scrape(url);
        check(last);
        exposed.addAll(Dashboards.exposed(last));
        assertThat(last)
            .containsPattern(
                "hoptrace_alerts_total\\{[^}]*status=\"FIRING\",type=\"ONE_WAY\"\\} [1-9]")
            .containsPattern(
                "hoptrace_lost_packets_total\\{after=\"node-b/ens33\",before=\"node-b/flannel.1\"\\}"
                    + " [1-9]")
            .containsPattern("hoptrace_summaries_processed_total [1-9]")
            .contains("jvm_memory_used_bytes");
      }
    }

    // the sensor's registry, fed by a capture of the same recording through the real publisher
    PrometheusMeterRegistry sensorRegistry = MetricsServer.newRegistry();
    SensorMetrics sensorMetrics = new SensorMetrics(sensorRegistry);
    try (EmbeddedPipeline p = EmbeddedPipeline.builder().startJob(false).start();
        MetricsServer server = MetricsServer.start(sensorRegistry, "127.0.0.1", 0)) {
      PublisherConfig config = PublisherConfig.forBootstrap(p.bootstrapServers());
      Path pcap =
          CliRun.repoRoot().resolve("deploy/lab/recordings/vxlan-blocked/node-b.ens33.pcap");
      try (SummaryPublisher publisher = new SummaryPublisher(config, sensorMetrics);
          CaptureFileReader reader =
              CaptureFileReader.open(
                  pcap, new HopContext("node-b", null, "ens33", InterfaceRole.UPLINK))) {
        new SensorPipeline(DecoderConfig.defaults(), publisher, sensorMetrics).replay(reader);
        publisher.flush();
      }
      String scraped = scrape("http://127.0.0.1:" + server.port() + "/metrics");
      check(scraped);
      exposed.addAll(Dashboards.exposed(scraped));
      assertThat(scraped).containsPattern("hoptrace_sensor_packets_sent_packets_total [1-9]");
    }
    dashboardsQueryExposedMetrics(exposed);
  }

  /** Every metric a Grafana dashboard queries is one the job or the sensor exposes. */
  private static void dashboardsQueryExposedMetrics(Set<String> exposed) throws Exception {
    for (Path f : Dashboards.files()) {
      assertThat(exposed)
          .as("metrics exposed by the job and the sensor, queried by %s", f.getFileName())
          .containsAll(Dashboards.metrics(Dashboards.read(f)));
    }
  }

  /**
   * Runs {@code replay} on a thread of its own and scrapes {@code url} every 300 ms while it runs
   * (each scrape through {@code promtool check metrics} where it is installed): at least once.
   */
  static <T> T scrapedWhile(Callable<T> replay, String url) throws Exception {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Throwable> failed = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              try {
                result.set(replay.call());
              } catch (Throwable e) {
                failed.set(e);
              }
            });
    t.start();
    int during = 0;
    while (t.isAlive()) {
      String s = scrape(url);
      if (Files.isExecutable(PROMTOOL)) {
        check(s);
      }
      during++;
      Thread.sleep(300);
    }
    assertThat(failed.get()).isNull();
    assertThat(during).as("scrapes while the replay ran").isPositive();
    return result.get();
  }

  static String scrape(String url) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  /** {@code promtool check metrics} on a scrape: exit 0, nothing reported. */
  static void check(String exposition) throws Exception {
    Process p =
        new ProcessBuilder(PROMTOOL.toString(), "check", "metrics")
            .redirectErrorStream(true)
            .start();
    p.getOutputStream().write(exposition.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("promtool check metrics: %s", out).isZero();
  }
}
