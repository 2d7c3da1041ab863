package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The dashboards parse and are set up the provisioning way: a {@code datasource} variable of type
 * datasource (Prometheus) that every panel and query uses, unique panel ids, a query with a metric
 * in every target. (That every metric they query is one the job or sensor exposes is checked
 * against real scrapes in {@link MetricsIT}.)
 */
class GrafanaDashboardsTest {
  @Test
  void dashboardsAreProvisionableAndQueryTheirPrometheusVariable() throws Exception {
    assertThat(Dashboards.files()).hasSizeGreaterThanOrEqualTo(2);
    Set<String> uids = new HashSet<>();
    for (Path f : Dashboards.files()) {
      JsonNode d = Dashboards.read(f);
      String what = f.getFileName().toString();
      assertThat(uids.add(d.path("uid").asText())).as("%s: unique uid", what).isTrue();
      assertThat(d.path("title").asText()).as(what).startsWith("hoptrace");
      JsonNode ds = null;
      for (JsonNode v : d.path("templating").path("list")) {
        if (v.path("name").asText().equals("datasource")) {
          ds = v;
        }
      }
      assertThat(ds).as("%s: datasource variable", what).isNotNull();
      assertThat(ds.path("type").asText()).isEqualTo("datasource");
      assertThat(ds.path("query").asText()).isEqualTo("prometheus");
      Set<Integer> ids = new HashSet<>();
      for (JsonNode p : Dashboards.panels(d)) {
        String panel = what + " panel " + p.path("title").asText();
        assertThat(ids.add(p.path("id").asInt())).as("%s: unique id", panel).isTrue();
        assertThat(p.path("datasource").path("uid").asText()).as(panel).isEqualTo("${datasource}");
        assertThat(p.path("targets")).as(panel).isNotEmpty();
        for (JsonNode t : p.path("targets")) {
          assertThat(t.path("datasource").path("uid").asText())
              .as(panel)
              .isEqualTo("${datasource}");
          assertThat(Dashboards.metrics(t.path("expr").asText()))
              .as("%s: metrics of %s", panel, t.path("expr").asText())
              .isNotEmpty();
        }
      }
    }
    Path provisioning = CliRun.repoRoot().resolve("deploy/grafana/provisioning");
    assertThat(Files.readString(provisioning.resolve("dashboards/hoptrace.yml")))
        .contains("type: file")
        .contains("path: /var/lib/grafana/dashboards/hoptrace");
    assertThat(Files.readString(provisioning.resolve("datasources/hoptrace.yml")))
        .contains("type: prometheus")
        .contains("isDefault: true");
  }

  @Test
  void metricNamesAreReadFromQueriesNotFromLabels() {
    assertThat(
            Dashboards.metrics(
                "sum by (after) (rate(hoptrace_lost_packets_total{after=~\"node_x/.*\"}[5m]))"
                    + " / jvm_memory_used_bytes"))
        .containsExactly("hoptrace_lost_packets_total", "jvm_memory_used_bytes");
  }
}
