package io.hoptrace.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hoptrace.schema.AlertStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AlertmanagerPayloadTest {
  private static final Instant LATER = Instant.parse("2026-12-01T00:00:00Z");

  @Test
  void firingAlertHasItsLabelsAndNoEnd() {
    JsonNode o =
        AlertmanagerPayload.alert(
            SampleAlerts.oneWay("10.244.0.5", "10.244.1.7", AlertStatus.FIRING), LATER);
    JsonNode l = o.get("labels");
    assertThat(l.get("alertname").asText()).isEqualTo("ONE_WAY");
    assertThat(l.get("severity").asText()).isEqualTo("critical");
    assertThat(l.get("src").asText()).isEqualTo("10.244.0.5");
    assertThat(l.get("dst").asText()).isEqualTo("10.244.1.7");
    assertThat(l.get("proto").asText()).isEqualTo("tcp");
    assertThat(l.get("sport").asText()).isEqualTo("40070");
    assertThat(l.get("dport").asText()).isEqualTo("80");
    assertThat(l.get("lost_after").asText()).isEqualTo("node-a/flannel.1");
    assertThat(l.get("lost_before").asText()).isEqualTo("node-b/flannel.1");
    assertThat(l.get("direction").asText()).isEqualTo("forward");
    assertThat(l.get("hoptrace_id").asText()).isEqualTo("a1");
    assertThat(l.get("incident").asText()).isEqualTo("i1");
    assertThat(l.has("node")).as("no node in a flow subject").isFalse();
    assertThat(o.get("annotations").get("hops_missing").asText())
        .isEqualTo("node-b/flannel.1, node-b/cni0");
    assertThat(o.get("startsAt").asText()).isEqualTo("2025-12-01T14:40:00.123456789Z");
    assertThat(o.has("endsAt")).isFalse();
  }

  @Test
  void resolvedAlertEndsAtItsLastSighting() {
    JsonNode o =
        AlertmanagerPayload.alert(
            SampleAlerts.oneWay("10.244.0.5", "10.244.1.7", AlertStatus.RESOLVED), LATER);
    assertThat(o.get("endsAt").asText()).isEqualTo("2025-12-01T14:40:03.123456789Z");
  }

  @Test
  void eventTimesAheadOfTheWallClockAreClampedToIt() {
    // a replay moved ahead: Alertmanager would refuse a start after the alert's expiry, and keep
    // a resolved alert active until a future end
    Instant now = Instant.parse("2025-12-01T14:40:01Z");
    JsonNode o =
        AlertmanagerPayload.alert(
            SampleAlerts.oneWay("10.244.0.5", "10.244.1.7", AlertStatus.RESOLVED), now);
    assertThat(o.get("startsAt").asText()).isEqualTo("2025-12-01T14:40:00.123456789Z");
    assertThat(o.get("endsAt").asText()).isEqualTo("2025-12-01T14:40:01Z");
    Instant before = Instant.parse("2025-12-01T14:00:00Z");
    JsonNode f =
        AlertmanagerPayload.alert(
            SampleAlerts.oneWay("10.244.0.5", "10.244.1.7", AlertStatus.FIRING), before);
    assertThat(f.get("startsAt").asText()).isEqualTo("2025-12-01T14:00:00Z");
  }
}
