package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.decode.DecoderConfig;
import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.pipeline.EmbeddedPipeline;
import io.hoptrace.pipeline.EndOfInput;
import io.hoptrace.publish.SummaryPublisher;
import io.hoptrace.replay.Manifest;
import io.hoptrace.replay.MergedCaptures;
import io.hoptrace.schema.Alert;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the detection job (SIGKILL of a {@code hoptrace run} JVM: no commit, no clean close)
 * mid-replay and restarts it with the same application id and state directory: the alerts topic
 * then holds exactly the alert records of an uninterrupted run, none duplicated, none missing
 * (exactly-once: uncommitted output of the killed job is aborted and redone).
 */
class RestartIT {
  private static final String APP_ID = "hoptrace-restart-it";

  /**
   * The input pauses while the first job is killed and the second starts; a live job ages its open
   * flows in such a pause ({@link DetectionConfig#SILENCE_MS}: a silent input lets the wall clock
   * move event time), and how long the pause lasts depends on the machine's load. This test is
   * about exactly-once across a kill, so both runs take the wall clock out (an hour of silence).
   */
  private static final DetectionConfig DETECTION =
      DetectionConfig.defaults().with(DetectionConfig.SILENCE_MS, "3600000");

  @TempDir Path tmp;

  @Test
  void killedAndRestartedJobGivesTheSameAlertsAsACleanRun() throws Exception {
    Manifest manifest =
        Manifest.read(CliRun.repoRoot().resolve("deploy/lab/recordings/dual-ip/manifest.json"));
    List<MergedCaptures.Item> items =
        MergedCaptures.readAll(manifest.hops(), DecoderConfig.defaults());
    long inventoryTs = 1_000_000_000L;

    List<String> clean;
    try (EmbeddedPipeline p = EmbeddedPipeline.builder().detection(DETECTION).start()) {
      p.publishInventory(manifest.inventories(inventoryTs), Duration.ofSeconds(60));
      publish(p, items);
      p.endOfInput(Duration.ofMinutes(2));
      clean = describe(p.readAlerts());
      assertThat(clean)
          .as(
              "alerts of the uninterrupted run of %d summaries (its flow records: %d)",
              items.size(), p.readFlows().size())
          .isNotEmpty();
    }

    List<String> restarted;
    try (EmbeddedPipeline p =
        EmbeddedPipeline.builder().applicationId(APP_ID).startJob(false).start()) {
      p.publishInventory(manifest.inventories(inventoryTs), Duration.ofSeconds(60));
      Path state = tmp.resolve("state");
      Process first = startJob(p, state);
      try {
        int half = items.size() / 2;
        publish(p, items.subList(0, half));
        awaitCommitted(p, half / 2);
      } finally {
        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
      publish(p, items.subList(items.size() / 2, items.size()));
      Process second = startJob(p, state);
      try {
        p.sendFlush();
        EndOfInput.awaitDrained(
            p.admin(),
            APP_ID,
            p.topics(),
            Duration.ofMinutes(3),
            Duration.ofMillis(200),
            () -> {
              if (!second.isAlive()) {
                throw new IllegalStateException("restarted job exited: " + second.exitValue());
              }
            });
        restarted = describe(p.readAlerts());
      } finally {
        second.destroy();
        if (!second.waitFor(30, TimeUnit.SECONDS)) {
          second.destroyForcibly();
        }
      }
    }
    assertThat(restarted).doesNotHaveDuplicates();
    assertThat(restarted).containsExactlyInAnyOrderElementsOf(clean);
  }

  static void publish(EmbeddedPipeline p, List<MergedCaptures.Item> items) {
    try (SummaryPublisher pub = p.newPublisher()) {
      for (MergedCaptures.Item i : items) {
        pub.publish(i.key(), i.summary());
      }
      pub.flush();
      assertThat(pub.failed()).isZero();
    }
  }

  /** Waits until the job committed at least {@code n} packets (it is mid-replay then). */
  private static void awaitCommitted(EmbeddedPipeline p, long n) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (System.nanoTime() < deadline) {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          p.admin()
              .listConsumerGroupOffsets(APP_ID)
              .partitionsToOffsetAndMetadata()
              .get(10, TimeUnit.SECONDS);
      OffsetAndMetadata o = offsets.get(new TopicPartition(p.topics().packets(), 0));
      if (o != null && o.offset() >= n) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the job never committed " + n + " packets");
  }

  /** {@code hoptrace run} in its own JVM, so that it can be killed without any clean-up. */
  private static Process startJob(EmbeddedPipeline p, Path state) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("--add-exports");
    cmd.add("java.base/jdk.internal.misc=ALL-UNNAMED");
    cmd.add("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.hoptrace.schema");
    cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(
        List.of(
            "run",
            "--bootstrap",
            p.bootstrapServers(),
            "--app-id",
            APP_ID,
            "--state-dir",
            state.toString(),
            "--detect",
            DetectionConfig.SILENCE_MS.key() + "=3600000"));
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(new File("target/restart-it-job.log")))
        .start();
  }

  /** The alert records as comparable text: everything but nothing time-of-run dependent. */
  static List<String> describe(List<Alert> alerts) {
    List<String> out = new ArrayList<>();
    for (Alert a : alerts) {
      out.add(a.toString());
    }
    return out;
  }
}
