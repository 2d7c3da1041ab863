package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hoptrace.embedded.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code hoptrace analyze --bootstrap}: the pipeline on a Kafka it did not start (here a broker of
 * its own in this JVM, standing for the team's cluster, with topics of another user on it) gives
 * the truth's alerts, and leaves no topic or consumer group of its run behind.
 */
class AnalyzeExistingKafkaIT {
  private static EmbeddedKafka cluster;

  @BeforeAll
  static void startCluster() {
    cluster = EmbeddedKafka.start();
    cluster.createTopics("hoptrace.packets", "someone-elses-topic"); // must be left alone
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"vxlan-blocked", "nodeport"})
  void analyzeOnAnExistingKafkaGivesTheTruthAndCleansUp(String scenario) throws Exception {
    Path dir = CliRun.repoRoot().resolve("deploy/lab/recordings").resolve(scenario);
    JsonNode truth = CliRun.JSON.readTree(Files.readString(dir.resolve("truth.json")));
    CliRun run =
        CliRun.run(
            "analyze",
            "--bootstrap",
            cluster.bootstrapServers(),
            dir.resolve("manifest.json").toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).contains("job on Kafka at " + cluster.bootstrapServers());
    List<JsonNode> alerts = run.jsonLines().stream().filter(n -> !n.has("alertIds")).toList();
    assertThat(TruthCheck.mismatches(truth, alerts))
        .as("%s alerts:%n%s", scenario, run.out())
        .isEmpty();

    assertThat(cluster.admin().listTopics().names().get(30, TimeUnit.SECONDS))
        .as("topics left on the cluster")
        .containsExactlyInAnyOrder("hoptrace.packets", "someone-elses-topic");
    assertThat(cluster.admin().listConsumerGroups().all().get(30, TimeUnit.SECONDS))
        .as("consumer groups left on the cluster")
        .isEmpty();
  }
}
