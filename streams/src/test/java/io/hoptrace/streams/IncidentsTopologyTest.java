package io.hoptrace.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.detect.IncidentAggregator;
import io.hoptrace.detect.state.InMemoryStateStore;
import io.hoptrace.lab.Recordings;
import io.hoptrace.lab.TopologyHarness;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.Incident;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stage 3 in the topology: the incidents topic holds what the core's incident stage makes of the
 * alerts topic, keyed by incident id, and every alert names its incident.
 */
class IncidentsTopologyTest {
  @ParameterizedTest
  @ValueSource(strings = {"vxlan-blocked", "dual-ip", "healthy"})
  void incidentsTopicIsTheCoreIncidentStageOverTheAlerts(String scenario) {
    try (TopologyHarness h = new TopologyHarness()) {
      Recordings.read(scenario).replay(h);
      List<Alert> alerts = h.alerts();
      assertThat(alerts).allSatisfy(a -> assertThat(a.getIncidentId()).isNotNull());
      List<Incident> expected = new ArrayList<>();
      IncidentAggregator core = new IncidentAggregator(new InMemoryStateStore<>(), expected::add);
      alerts.forEach(core::onAlert);
      assertThat(h.incidents()).containsExactlyElementsOf(expected);
      if (!scenario.equals("healthy")) {
        assertThat(h.incidents())
            .extracting(Incident::getId)
            .containsOnly(alerts.get(0).getIncidentId());
        assertThat(h.incidents().get(h.incidents().size() - 1).getStatus())
            .isEqualTo(AlertStatus.RESOLVED);
      } else {
        assertThat(h.incidents()).isEmpty();
      }
    }
  }
}
