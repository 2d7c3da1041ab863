package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hoptrace.contract.HopId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bundled lab recordings (deploy/lab/recordings) are complete and in the formats others rely
 * on: manifest.json as {@code hoptrace analyze} reads it, truth.json, small pcaps. What the packets
 * themselves contain is checked by deploy/lab/tools/check-recordings.sh.
 */
class LabRecordingsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> ROLES = Set.of("POD", "VETH", "BRIDGE", "VTEP", "UPLINK");
  private static final Set<String> ALERT_TYPES =
      Set.of(
          "ONE_WAY",
          "RETRANSMISSION_STORM",
          "ICMP_UNREACHABLE",
          "VTEP_MISMATCH",
          "MTU_BLACKHOLE",
          "DNS_FAILURE");

  static Path recordings() {
    Path script =
        LabCommand.locate(Map.of(), Path.of("").toAbsolutePath())
            .orElseThrow(() -> new AssertionError("deploy/lab/lab.sh not found"));
    return script.getParent().resolve("recordings");
  }

  static Stream<String> scenarios() {
    return Stream.of(
        "healthy",
        "vxlan-blocked",
        "vxlan-blocked-underlay",
        "no-route",
        "wrong-vtep",
        "dual-ip",
        "mtu-blackhole",
        "port-closed",
        "dns",
        "nodeport",
        "vxlan6-blocked",
        "vxlan6-blocked-node-a");
  }

  @ParameterizedTest
  @MethodSource("scenarios")
  void manifestHasBothNodesAndOneSmallPcapPerHop(String scenario) throws IOException {
    Path dir = recordings().resolve(scenario);
    JsonNode manifest = JSON.readTree(dir.resolve("manifest.json").toFile());

    assertThat(manifest.get("nodes")).hasSize(2);
    for (JsonNode node : manifest.get("nodes")) {
      assertThat(node.get("name").asText()).isIn("node-a", "node-b");
      assertThat(node.get("addresses")).isNotEmpty();
      assertThat(node.get("podCidr").asText()).startsWith("10.244.");
      JsonNode vtep = node.get("vteps").get(0);
      assertThat(vtep.get("device").asText()).isEqualTo("flannel.1");
      assertThat(vtep.get("vni").asInt()).isEqualTo(1);
      assertThat(vtep.get("port").asInt()).isEqualTo(8472);
      assertThat(vtep.get("local").asText()).isNotBlank();
      assertThat(vtep.get("fdb").get(0).get("mac").asText()).startsWith("ca:fe:0a:f4:");
      assertThat(vtep.get("fdb").get(0).get("dst").asText()).isNotBlank();
    }
    // a dual-stack recording also captures each node's IPv6 VTEP, flannel-v6.1
    boolean dual = manifest.get("nodes").get(0).has("podCidrs");
    assertThat(manifest.get("hops")).hasSize(dual ? 16 : 14);
    if (dual) {
      for (JsonNode node : manifest.get("nodes")) {
        assertThat(node.get("podCidrs")).hasSize(2);
        assertThat(node.get("vteps").get(1).get("device").asText()).isEqualTo("flannel-v6.1");
        assertThat(node.get("vteps").get(1).get("local").asText()).startsWith("fd00:232::");
      }
    }
    for (JsonNode hop : manifest.get("hops")) {
      assertThat(hop.get("role").asText()).isIn(ROLES);
      assertThat(hop.has("pod")).isEqualTo("POD".equals(hop.get("role").asText()));
      Path pcap = dir.resolve(hop.get("file").asText());
      assertThat(pcap).isRegularFile();
      assertThat(Files.size(pcap)).isLessThanOrEqualTo(100 * 1024);
      try (InputStream in = Files.newInputStream(pcap)) {
        byte[] magic = in.readNBytes(4);
        assertThat(magic).as("pcap magic of %s", pcap).containsExactly(0xd4, 0xc3, 0xb2, 0xa1);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("scenarios")
  void truthNamesFlowsAlertsAndLostAtSegmentsOnRecordedHops(String scenario) throws IOException {
    Path dir = recordings().resolve(scenario);
    JsonNode truth = JSON.readTree(dir.resolve("truth.json").toFile());
    JsonNode manifest = JSON.readTree(dir.resolve("manifest.json").toFile());
    List<String> hopIds =
        manifest.get("hops").findParents("iface").stream()
            .map(
                h ->
                    HopId.format(
                        h.get("node").asText(),
                        h.has("pod") ? h.get("pod").asText() : null,
                        h.get("iface").asText()))
            .toList();

    assertThat(scenario).startsWith(truth.get("scenario").asText());
    assertThat(truth.get("description").asText()).isNotBlank();
    assertThat(truth.get("flows")).isNotEmpty();
    for (JsonNode flow : truth.get("flows")) {
      assertThat(flow.get("proto").asInt()).isIn(1, 6, 17, 58);
      assertThat(flow.get("src").asText()).isNotBlank();
      for (JsonNode lost : flow.get("lostAt")) {
        assertThat(List.of(lost.get("after").asText(), lost.get("before").asText()))
            .allSatisfy(id -> assertThat(hopIds).contains(id));
      }
    }
    for (JsonNode alert : truth.get("alerts")) {
      assertThat(alert.get("type").asText()).isIn(ALERT_TYPES);
      if (alert.has("lostAt")) {
        assertThat(hopIds)
            .contains(
                alert.get("lostAt").get("after").asText(),
                alert.get("lostAt").get("before").asText());
      }
    }
    boolean quiet = scenario.equals("healthy") || scenario.equals("nodeport");
    assertThat(truth.get("alerts").isEmpty()).isEqualTo(quiet);
  }
}
