package io.hoptrace.streams;

import static io.hoptrace.lab.Lab.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hoptrace.lab.Lab;
import io.hoptrace.lab.Scenarios;
import io.hoptrace.lab.TopologyHarness;
import io.hoptrace.schema.AlertType;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopologyOutputTest {
  final Lab lab = new Lab();

  @Test
  void alertsAreAlsoWrittenAsEcsJson() throws Exception {
    try (TopologyHarness h = new TopologyHarness()) {
      h.nodes(Lab.inventory());
      Scenarios.vxlanBlocked(h, lab, 40080, 0);
      h.idle(12_000_000_000L);
      assertThat(h.firing(AlertType.ONE_WAY)).hasSize(1);
      List<String> ecs = h.ecs();
      assertThat(ecs).hasSize(h.alerts().size());
      JsonNode j = new ObjectMapper().readTree(ecs.get(0));
      assertThat(j.at("/event/kind").asText()).isEqualTo("alert");
      assertThat(j.at("/event/category/0").asText()).isEqualTo("network");
      assertThat(j.at("/rule/name").asText()).isEqualTo("ONE_WAY");
      assertThat(j.at("/message").asText()).contains("8472/udp");
      assertThat(j.at("/source/ip").asText()).isEqualTo(POD_A);
      assertThat(j.at("/source/port").asInt()).isEqualTo(40080);
      assertThat(j.at("/destination/ip").asText()).isEqualTo(POD_B);
      assertThat(j.at("/destination/port").asInt()).isEqualTo(80);
      assertThat(j.at("/network/transport").asText()).isEqualTo("tcp");
      assertThat(j.at("/host/name").asText()).isEqualTo("node-a");
      assertThat(j.at("/hoptrace/lost_at/after").asText()).isEqualTo("node-a/ens33");
      assertThat(j.at("/hoptrace/lost_at/before").asText()).isEqualTo("node-b/ens33");
    }
  }

  @Test
  void undecodableRecordsAreCountedAndSkipped() {
    try (TopologyHarness h = new TopologyHarness()) {
      long before =
          LogAndCountDeserializationHandler.skipped().getOrDefault("hoptrace.packets", 0L);
      var reasons = LogAndCountDeserializationHandler.skippedByReason();
      long undecodable = reasons.getOrDefault("hoptrace.packets undecodable", 0L);
      long unknown = reasons.getOrDefault("hoptrace.packets unknown-schema", 0L);
      h.nodes(Lab.inventory());
      h.sendRaw(new byte[] {1, 2, 3});
      h.sendRaw(new byte[] {(byte) 0xC3, 1, 0, 0, 0, 0, 0, 0, 0, 0, 42});
      Scenarios.vxlanBlocked(h, lab, 40081, 0);
      h.idle(12_000_000_000L);
      assertThat(h.firing(AlertType.ONE_WAY)).hasSize(1);
      assertThat(LogAndCountDeserializationHandler.skipped().get("hoptrace.packets"))
          .isEqualTo(before + 2);
      assertThat(LogAndCountDeserializationHandler.skippedByReason())
          .containsEntry("hoptrace.packets undecodable", undecodable + 1)
          .containsEntry("hoptrace.packets unknown-schema", unknown + 1);
    }
  }

  @Test
  void undecodableDropRecordsAreCountedAndSkipped() {
    try (TopologyHarness h = new TopologyHarness()) {
      long before = LogAndCountDeserializationHandler.skipped().getOrDefault("hoptrace.drops", 0L);
      h.nodes(Lab.inventory());
      h.sendRawDrop(new byte[] {1, 2, 3});
      Scenarios.vxlanBlocked(h, lab, 40082, 0);
      h.idle(12_000_000_000L);
      assertThat(h.firing(AlertType.ONE_WAY)).hasSize(1);
      assertThat(h.firing(AlertType.ONE_WAY).get(0).getDropReason()).isNull();
      assertThat(LogAndCountDeserializationHandler.skipped().get("hoptrace.drops"))
          .isEqualTo(before + 1);
    }
  }
}
