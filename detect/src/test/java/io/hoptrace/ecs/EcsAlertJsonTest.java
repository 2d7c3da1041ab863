package io.hoptrace.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.AlertSubject;
import io.hoptrace.schema.AlertType;
import io.hoptrace.schema.Evidence;
import io.hoptrace.schema.LostAt;
import io.hoptrace.schema.Severity;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The {@code alerts.ecs} documents use Elastic Common Schema field names where ECS has them
 * (checked against the ECS 8 field reference: field sets and the fields SIEM rules key on) and keep
 * everything else under the custom {@code hoptrace} namespace.
 */
class EcsAlertJsonTest {
  /** ECS top-level fields and field sets a document may use. */
  private static final Set<String> ECS_TOP =
      Set.of(
          "@timestamp",
          "message",
          "event",
          "rule",
          "source",
          "destination",
          "network",
          "host",
          "observer",
          "labels",
          "tags",
          "related",
          "ecs");

  private static Alert alert(AlertStatus status) {
    return Alert.newBuilder()
        .setId("a1")
        .setType(AlertType.ONE_WAY)
        .setSeverity(Severity.CRITICAL)
        .setStatus(status)
        .setFirstSeen(1_764_600_000_000_000_000L)
        .setLastSeen(1_764_600_003_000_000_000L)
        .setSubject(
            AlertSubject.newBuilder()
                .setKind("FLOW")
                .setSrc("10.244.0.5")
                .setDst("10.244.1.7")
                .setProto(6)
                .setSport(40070)
                .setDport(80)
                .setNode("node-b")
                .build())
        .setLostAt(
            LostAt.newBuilder().setAfter("node-b/ens33").setBefore("node-b/flannel.1").build())
        .setCount(3)
        .setHint("host firewall on node-b drops 8472/udp")
        .setEvidence(
            Evidence.newBuilder()
                .setHopsSeen(List.of())
                .setHopsMissing(List.of())
                .setCounts(Map.of())
                .setFacts(Map.of())
                .setSamples(List.of())
                .build())
        .setCommunityIds(List.of("1:zQJgIPWi/4gvFwPs47B3Aimxo0Q="))
        .build();
  }

  @Test
  void ecsFieldNamesAndValues() throws Exception {
    JsonNode d = new ObjectMapper().readTree(EcsAlertJson.toJson(alert(AlertStatus.FIRING)));
    d.fieldNames()
        .forEachRemaining(
            f ->
                assertThat(ECS_TOP.contains(f) || f.equals("hoptrace")).as("field %s", f).isTrue());
    assertThat(d.at("/event/kind").asText()).isEqualTo("alert");
    assertThat(d.at("/event/category/0").asText()).isEqualTo("network");
    assertThat(d.at("/event/type/0").asText()).isEqualTo("start");
    assertThat(d.at("/event/id").asText()).isEqualTo("a1");
    assertThat(d.at("/rule/name").asText()).isEqualTo("ONE_WAY");
    assertThat(d.at("/source/ip").asText()).isEqualTo("10.244.0.5");
    assertThat(d.at("/source/port").asInt()).isEqualTo(40070);
    assertThat(d.at("/destination/ip").asText()).isEqualTo("10.244.1.7");
    assertThat(d.at("/destination/port").asInt()).isEqualTo(80);
    assertThat(d.at("/network/transport").asText()).isEqualTo("tcp");
    assertThat(d.at("/network/iana_number").asText()).isEqualTo("6");
    assertThat(d.at("/network/community_id").asText()).isEqualTo("1:zQJgIPWi/4gvFwPs47B3Aimxo0Q=");
    assertThat(d.at("/observer/hostname").asText()).isEqualTo("node-b");
    assertThat(d.at("/observer/vendor").asText()).isEqualTo("hoptrace");
    assertThat(d.at("/@timestamp").asText()).isEqualTo("2025-12-01T14:40:03Z");
    assertThat(d.at("/message").asText()).isEqualTo("host firewall on node-b drops 8472/udp");
    assertThat(d.at("/hoptrace/lost_at/after").asText()).isEqualTo("node-b/ens33");
    JsonNode resolved =
        new ObjectMapper().readTree(EcsAlertJson.toJson(alert(AlertStatus.RESOLVED)));
    assertThat(resolved.at("/event/type/0").asText()).isEqualTo("end");
    assertThat(resolved.at("/event/end").asText()).isEqualTo("2025-12-01T14:40:03Z");
  }
}
