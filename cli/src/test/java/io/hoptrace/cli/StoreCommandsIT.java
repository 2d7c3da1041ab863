package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The acceptance of the flow store, through the commands: {@code analyze --store} replays the
 * vxlan-blocked recording with the store writer beside the job (Kafka Streams, and Flink: the
 * writer reads the job's topics, whichever engine commits them); {@code query} answers SQL over it
 * and {@code flows --dst 10.244.1.2 --verdict ONE_WAY} lists the blocked flows with their lost-at
 * segment.
 */
class StoreCommandsIT {
  @TempDir Path store;

  @ParameterizedTest
  @ValueSource(strings = {"streams", "flink"})
  void analyzeWithAStoreThenQueryAndFlows(String engine) {
    Path manifest = CliRun.repoRoot().resolve("deploy/lab/recordings/vxlan-blocked/manifest.json");
    CliRun analyze =
        CliRun.run("analyze", "--engine", engine, "--store", store.toString(), manifest.toString());
    assertThat(analyze.exitCode()).as(analyze.err()).isZero();
    assertThat(analyze.err()).contains("store " + store);

    CliRun verdicts =
        CliRun.run(
            "query",
            "--store",
            store.toString(),
            "--format",
            "json",
            "select verdict, count(*) as n from flows group by 1");
    assertThat(verdicts.exitCode()).as(verdicts.err()).isZero();
    assertThat(verdicts.jsonLines())
        .anySatisfy(
            v -> {
              assertThat(v.path("verdict").asText()).isEqualTo("ONE_WAY");
              assertThat(v.path("n").asLong()).isGreaterThanOrEqualTo(2);
            });

    CliRun flows =
        CliRun.run(
            "flows",
            "--store",
            store.toString(),
            "--dst",
            "10.244.1.2",
            "--verdict",
            "ONE_WAY",
            "--format",
            "json");
    assertThat(flows.exitCode()).as(flows.err()).isZero();
    List<JsonNode> rows = flows.jsonLines();
    assertThat(rows).extracting(r -> r.path("proto").asInt()).contains(1, 6);
    for (JsonNode r : rows) {
      assertThat(r.path("lostAt").path("after").asText()).isEqualTo("node-b/ens33");
      assertThat(r.path("lostAt").path("before").asText()).isEqualTo("node-b/flannel.1");
    }
  }
}
