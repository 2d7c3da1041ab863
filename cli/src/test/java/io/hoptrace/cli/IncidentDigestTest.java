package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.Incident;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class IncidentDigestTest {
  private final IncidentDigest digest =
      new IncidentDigest(
          new AlertPrinter(
              ZoneOffset.UTC, InstantSource.fixed(Instant.parse("2026-12-07T03:00:00Z"))));

  private static Incident incident(String id, AlertStatus status, List<String> alerts) {
    return Incident.newBuilder()
        .setId(id)
        .setStatus(status)
        .setCauseKind("SEGMENT")
        .setCauseKey("node-b/ens33>node-b/flannel-v6.1")
        .setCause("host firewall on node-b drops 8472/udp")
        .setAlertIds(alerts)
        .setFirstSeen(1)
        .setLastSeen(2)
        .build();
  }

  @Test
  void anIncidentIsPrintedWhenItOpensAndWhenItsStatusChangesNotForEveryAlertItGains() {
    assertThat(digest.accept(incident("i1", AlertStatus.FIRING, List.of("a1"))))
        .startsWith("03:00:00.000 INCIDENT FIRING")
        .contains("1 alert(s)");
    assertThat(digest.accept(incident("i1", AlertStatus.FIRING, List.of("a1", "a2")))).isNull();
    assertThat(digest.accept(incident("i1", AlertStatus.RESOLVED, List.of("a1", "a2"))))
        .contains("INCIDENT RESOLVED")
        .contains("2 alert(s)");
    assertThat(digest.received()).isEqualTo(3);
  }

  @Test
  void theScenarioDigestListsEachIncidentOnceInItsLastStateThenStartsOver() {
    digest.accept(incident("i1", AlertStatus.FIRING, List.of("a1")));
    digest.accept(incident("i2", AlertStatus.FIRING, List.of("a3")));
    digest.accept(incident("i1", AlertStatus.RESOLVED, List.of("a1", "a2")));

    List<String> lines = digest.endScenario("vxlan6-blocked");
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).isEqualTo("-- vxlan6-blocked: 2 incidents, one per root cause:");
    assertThat(lines.get(1)).startsWith("   INCIDENT RESOLVED").contains("2 alert(s)");
    assertThat(lines.get(2)).startsWith("   INCIDENT FIRING").contains("1 alert(s)");
    assertThat(digest.endScenario("healthy"))
        .containsExactly("-- healthy: 0 incidents (nothing lost)");
  }
}
