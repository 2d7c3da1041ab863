package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.embedded.EmbeddedKafka;
import io.hoptrace.schema.TopicSettings;
import io.hoptrace.schema.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Topic creation on a real broker (issue 17, finding 4): the sensor creates the packets topic as
 * {@code run} expects it, a sensor that fails on its options creates nothing, and {@code run} says
 * at start when an existing topic is not what the job needs.
 */
class TopicSettingsIT {

  private static final Path A_CAPTURE =
      CliRun.repoRoot().resolve("deploy/lab/recordings/healthy/node-a.cni0.pcap");

  private static EmbeddedKafka kafka;

  @TempDir Path tmp;

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stopBroker() {
    if (kafka != null) {
      kafka.close();
    }
  }

  private static Set<String> topics() throws Exception {
    return kafka.admin().listTopics().names().get(30, TimeUnit.SECONDS);
  }

  private static int partitions(String topic) throws Exception {
    return kafka
        .admin()
        .describeTopics(List.of(topic))
        .allTopicNames()
        .get(30, TimeUnit.SECONDS)
        .get(topic)
        .partitions()
        .size();
  }

  @Test
  void theSensorCreatesThePacketsTopicAsTheJobExpectsIt() throws Exception {
    CliRun r =
        CliRun.run(
            "sensor",
            "--pcap",
            A_CAPTURE.toString(),
            "--node",
            "node-a",
            "--iface",
            "cni0",
            "--no-inventory",
            "--topic-prefix",
            "ts1.",
            "--bootstrap",
            kafka.bootstrapServers());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(partitions("ts1.packets"))
        .isEqualTo(TopicSettings.DEFAULT_PACKETS_PARTITIONS)
        .isEqualTo(io.hoptrace.pipeline.PipelineConfig.RUN_DEFAULT_PACKETS_PARTITIONS);
    assertThat(
            TopicSettings.mismatches(
                kafka.admin(),
                Topics.withPrefix("ts1."),
                io.hoptrace.pipeline.PipelineConfig.RUN_DEFAULT_PACKETS_PARTITIONS,
                30_000))
        .isEmpty();
  }

  @Test
  void aSensorThatFailsOnABadNetnsCreatesNoTopic() throws Exception {
    CliRun r =
        CliRun.run(
            "sensor",
            "--iface",
            "eth0",
            "--node",
            "n",
            "--netns",
            "hoptrace-no-such-netns",
            "--topic-prefix",
            "ts2.",
            "--bootstrap",
            kafka.bootstrapServers());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("network namespace 'hoptrace-no-such-netns' does not exist");
    assertThat(topics()).noneMatch(t -> t.startsWith("ts2."));
  }

  @Test
  void runReportsAPacketsTopicWithAnotherPartitionCountWhenItStarts() throws Exception {
    Topics t = Topics.withPrefix("ts3.");
    List<NewTopic> existing = TopicSettings.all(t, 3, Optional.empty());
    kafka.createTopics(existing);
    try (ChildHoptrace run =
        ChildHoptrace.start(
            tmp.resolve("run.log"),
            Map.of(),
            "run",
            "--bootstrap",
            kafka.bootstrapServers(),
            "--topic-prefix",
            "ts3.",
            "--app-id",
            "ts3-job",
            "--state-dir",
            tmp.resolve("state").toString(),
            "--quiet")) {
      run.awaitOutput(
          "hoptrace run: warning: topic ts3.packets has 3 partitions, not the 1" + " expected",
          Duration.ofSeconds(90));
      run.awaitOutput("running on", Duration.ofSeconds(120));
      assertThat(run.output()).contains("give --packets-partitions 3");
    }
  }
}
