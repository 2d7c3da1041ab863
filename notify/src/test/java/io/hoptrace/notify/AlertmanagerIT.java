package io.hoptrace.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vxlan-blocked recording's alerts, from the real pipeline, posted to a real Alertmanager
 * (Debian's {@code prometheus-alertmanager}, started here on a loopback port with a temporary
 * configuration): every firing alert is active there with its labels, and none is left once the
 * end-of-input RESOLVED records are posted. Skips when the binary is absent ({@code .ci/run}
 * installs it).
 */
class AlertmanagerIT {
  private static final Path BINARY = Path.of("/usr/bin/prometheus-alertmanager");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void vxlanBlockedAlertsAreActiveWithTheirLabelsThenResolve() throws Exception {
    assumeTrue(
        Files.isExecutable(BINARY),
        "needs Debian's prometheus-alertmanager (" + BINARY + "; .ci/run installs it)");
    List<Alert> records = RecordedAlerts.of("vxlan-blocked");
    Map<String, Alert> firing = new HashMap<>();
    for (Alert a : records) {
      if (a.getStatus() == AlertStatus.FIRING) {
        firing.put(a.getId(), a);
      }
    }
    assertThat(firing).as("the recording's firing alerts").isNotEmpty();

    Path cfg = tmp.resolve("alertmanager.yml");
    Files.writeString(cfg, "route:\n  receiver: \"null\"\nreceivers:\n  - name: \"null\"\n");
    int port = ExternalProcess.freePort();
    String url = "http://127.0.0.1:" + port;
    try (ExternalProcess am =
        ExternalProcess.start(
            List.of(
                BINARY.toString(),
                "--config.file=" + cfg,
                "--storage.path=" + tmp.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address="),
            tmp.resolve("alertmanager.log"))) {
      am.await(() -> status(url + "/-/ready") == 200, 20_000, "Alertmanager");
      try (AlertmanagerSink sink = AlertmanagerSink.open(url)) {
        for (Alert a : records) {
          if (a.getStatus() == AlertStatus.FIRING) {
            sink.accept(a);
          }
        }
        assertThat(sink.flush(Duration.ofSeconds(20))).isTrue();
        JsonNode active = get(url + "/api/v2/alerts");
        assertThat(active).hasSize(firing.size());
        for (JsonNode n : active) {
          JsonNode labels = n.get("labels");
          Alert a = firing.get(labels.get("hoptrace_id").asText());
          assertThat(a).as("alert %s", labels).isNotNull();
          assertThat(labels.get("alertname").asText()).isEqualTo(a.getType().name());
          assertThat(labels.get("severity").asText())
              .isEqualTo(a.getSeverity().name().toLowerCase(Locale.ROOT));
          if (a.getLostAt() != null && a.getLostAt().getAfter() != null) {
            assertThat(labels.get("lost_after").asText()).isEqualTo(a.getLostAt().getAfter());
          }
          if (a.getLostAt() != null && a.getLostAt().getBefore() != null) {
            assertThat(labels.get("lost_before").asText()).isEqualTo(a.getLostAt().getBefore());
          }
          if (a.getSubject().getDst() != null) {
            assertThat(labels.get("dst").asText()).isEqualTo(a.getSubject().getDst());
          }
          if (a.getSubject().getDport() >= 0) {
            assertThat(labels.get("dport").asInt()).isEqualTo(a.getSubject().getDport());
          }
          assertThat(n.get("annotations").get("description").asText()).isEqualTo(a.getHint());
          assertThat(n.get("status").get("state").asText()).isEqualTo("active");
        }
        assertThat(active)
            .anyMatch(n -> n.get("labels").has("lost_after") && n.get("labels").has("src"));

        // the periodic re-send posts the firing set again: still the same alerts, no duplicates
        sink.resendFiring();
        assertThat(sink.flush(Duration.ofSeconds(20))).isTrue();
        assertThat(get(url + "/api/v2/alerts")).hasSize(firing.size());

        for (Alert a : records) {
          if (a.getStatus() == AlertStatus.RESOLVED) {
            sink.accept(a);
          }
        }
        assertThat(sink.flush(Duration.ofSeconds(20))).isTrue();
        assertThat(sink.firing()).isZero();
        assertThat(get(url + "/api/v2/alerts")).as("active after the RESOLVED records").isEmpty();
        assertThat(sink.stats().rejected()).isZero();
      }
    }
  }

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static int status(String url) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create(url)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  private static JsonNode get(String url) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("GET %s", url).isEqualTo(200);
    return JSON.readTree(r.body());
  }
}
