package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every lab recording (deploy/lab/recordings/NAME: real captures of every hop, a manifest and
 * truth.json) through {@code hoptrace analyze} (embedded broker + Kafka Streams job): exactly the
 * truth's alert types (extra types only if the truth tolerates them), each expected alert matched
 * by its subject facts and lost-at hops, and every ONE_WAY localised as the truth's flow says (the
 * rules: {@link TruthCheck}).
 */
class LabScenariosIT {

  static Stream<String> scenarios() throws IOException {
    try (Stream<Path> dirs = Files.list(CliRun.repoRoot().resolve("deploy/lab/recordings"))) {
      return dirs
          .filter(d -> Files.isRegularFile(d.resolve("truth.json")))
          .map(d -> d.getFileName().toString())
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void analyzeGivesTheTruthsAlertsWithTheirLostAtSegment(String scenario) throws IOException {
    Path dir = CliRun.repoRoot().resolve("deploy/lab/recordings").resolve(scenario);
    JsonNode truth = CliRun.JSON.readTree(Files.readString(dir.resolve("truth.json")));
    CliRun run = CliRun.run("analyze", dir.resolve("manifest.json").toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    List<JsonNode> lines = run.jsonLines();
    List<JsonNode> incidents = lines.stream().filter(n -> n.has("alertIds")).toList();
    List<JsonNode> alerts = lines.stream().filter(n -> !n.has("alertIds")).toList();
    // every alert names an incident printed with it, which lists it
    for (JsonNode a : alerts) {
      assertThat(incidents)
          .as("%s: the incident of alert %s", scenario, a.get("id"))
          .anyMatch(
              i ->
                  i.get("incidentId").asText().equals(a.get("incidentId").asText())
                      && i.get("alertIds").toString().contains(a.get("id").asText()));
    }
    assertThat(incidents.isEmpty()).as("%s: incidents", scenario).isEqualTo(alerts.isEmpty());

    assertThat(TruthCheck.mismatches(truth, alerts))
        .as("%s alerts:%n%s", scenario, run.out())
        .isEmpty();
  }
}
