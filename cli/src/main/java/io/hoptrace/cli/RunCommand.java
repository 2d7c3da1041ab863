package io.hoptrace.cli;

import io.hoptrace.detect.DetectionStats;
import io.hoptrace.notify.AlertSinks;
import io.hoptrace.pcap.IncidentPcapTrigger;
import io.hoptrace.pipeline.AlertFollower;
import io.hoptrace.pipeline.DetectionJob;
import io.hoptrace.pipeline.DetectionTopics;
import io.hoptrace.pipeline.EmbeddedPipeline;
import io.hoptrace.pipeline.PipelineConfig;
import io.hoptrace.pipeline.StateDirs;
import io.hoptrace.schema.KafkaClientSettings;
import io.hoptrace.schema.TopicSettings;
import io.hoptrace.schema.Topics;
import io.hoptrace.streams.DetectionTopology;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hoptrace run --bootstrap HOST:PORT}: the detection job against an external Kafka. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the Kafka Streams detection job against an external Kafka until Ctrl-C: reads the"
          + " packets and nodes topics, writes flows, alerts and alerts.ecs (exactly-once)."
          + " Missing topics are created (packets with --packets-partitions).",
      "Restarting with the same --app-id resumes from the job's committed offsets (its state"
          + " is restored from Kafka; --state-dir keeps a local copy to restore faster)."
    })
final class RunCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--bootstrap",
      required = true,
      paramLabel = "HOST:PORT",
      description = "Kafka bootstrap servers.")
  String bootstrap;

  @Option(
      names = "--app-id",
      defaultValue = EmbeddedPipeline.DEFAULT_APP_ID,
      description = "Streams application id = consumer group (default: ${DEFAULT-VALUE}).")
  String appId;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "Local state directory, kept across restarts (default: streams/ in hoptrace's state"
              + " directory, $XDG_STATE_HOME/hoptrace or ~/.local/state/hoptrace; not the OS"
              + " temporary directory, which may be cleared under a running job).")
  Path stateDir;

  @Option(
      names = "--topic-prefix",
      defaultValue = Topics.DEFAULT_PREFIX,
      description = "Prefix of hoptrace's topics (default: ${DEFAULT-VALUE}).")
  String topicPrefix;

  @Option(
      names = "--packets-partitions",
      paramLabel = "N",
      // PipelineConfig's constant: 1 until NAT linking works across partitions (then 12)
      defaultValue = "" + PipelineConfig.RUN_DEFAULT_PACKETS_PARTITIONS,
      description =
          "Partitions of the packets topic if it must be created (default: ${DEFAULT-VALUE}; NAT"
              + " stitching needs every flow key of a conversation on one partition).")
  int packetsPartitions;

  @Option(
      names = "--streams",
      paramLabel = "KEY=VALUE",
      description = "A Kafka Streams/client property, e.g. num.stream.threads=2 (repeatable).")
  Map<String, String> streamsProperties = new LinkedHashMap<>();

  @Mixin DetectionOptions detectionOptions;

  @Mixin NotifyOptions notifyOptions;

  @Mixin JobMetricsOptions metricsOptions;

  @Mixin KafkaConnectOptions connect;

  @Option(
      names = "--quiet",
      description = "Do not print alerts as they fire (they still go to Kafka and the sinks).")
  boolean quiet;

  @Mixin IncidentPcapOptions incidentPcaps;

  /**
   * Says on {@code err}, one line each, what the existing topics do not have of what the job needs
   * ({@link TopicSettings#mismatches}): the job starts all the same.
   */
  static void reportMismatches(
      Admin admin, Topics topics, int packetsPartitions, String command, PrintWriter err) {
    for (String m : TopicSettings.mismatches(admin, topics, packetsPartitions, 30_000)) {
      err.println("hoptrace " + command + ": warning: " + m);
    }
    err.flush();
  }

  @Override
  public Integer call() throws InterruptedException, java.io.IOException {
    PrintWriter err = spec.commandLine().getErr();
    PipelineOptions.check(
        PipelineConfig.PACKETS_PARTITIONS, packetsPartitions, "--packets-partitions");
    NotifyOptions.validate(notifyOptions);
    metricsOptions.validate();
    Topics topics = Topics.withPrefix(topicPrefix);
    Path state = stateDir != null ? stateDir : StateDirs.root(System.getenv()).resolve("streams");
    KafkaClientSettings kafka = connect.check(bootstrap);
    int stageOneTasks;
    try (Admin admin = Admin.create(kafka.client())) {
      DetectionTopics.ensure(admin, topics, packetsPartitions, Optional.empty());
      stageOneTasks = DetectionTopics.partitions(admin, topics.packets());
      reportMismatches(admin, topics, packetsPartitions, "run", err);
    }
    java.nio.file.Files.createDirectories(state);
    Properties props = DetectionTopology.config(kafka, appId, state);
    props.put(DetectionTopology.PACKETS_PARTITIONS_CONFIG, stageOneTasks);
    props.putAll(streamsProperties);
    DetectionStats stats = new DetectionStats();
    DetectionJob job =
        new DetectionJob(
            new DetectionTopology(topics, detectionOptions.config()).stats(stats), props);
    CountDownLatch stopped = new CountDownLatch(1);
    job.streams()
        .setStateListener(
            (now, before) -> {
              if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                stopped.countDown();
              }
            });
    Thread hook =
        new Thread(
            () -> {
              job.close(Duration.ofSeconds(30));
              stopped.countDown();
            },
            "hoptrace-run-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    job.start(Duration.ofMinutes(5));
    err.println(
        "hoptrace run: detection job "
            + appId
            + " running on "
            + bootstrap
            + " ("
            + topics.packets()
            + " -> "
            + topics.flows()
            + ", "
            + topics.alerts()
            + ", "
            + topics.alertsEcs()
            + "); Ctrl-C to stop");
    err.flush();
    PrintWriter out = spec.commandLine().getOut();
    AlertPrinter printer = new AlertPrinter(ZoneId.systemDefault());
    try (JobMetricsOptions.Served metrics = metricsOptions.start(stats, "run", err);
        IncidentPcapTrigger pcaps =
            incidentPcaps.start(kafka, topics, detectionOptions.config(), "run", err);
        AlertSinks sinks = notifyOptions.open();
        AlertFollower follower =
            AlertFollower.start(
                kafka,
                topics.alerts(),
                Duration.ofMinutes(2),
                firing -> {
                  sinks.restore(firing);
                  if (metrics.metrics != null) {
                    metrics.metrics.restoreFiring(firing);
                  }
                  if (!firing.isEmpty()) {
                    err.println("hoptrace run: " + firing.size() + " alert(s) firing at start");
                    err.flush();
                  }
                },
                a -> {
                  if (!quiet) {
                    synchronized (out) {
                      out.println(printer.line(a));
                      out.flush();
                    }
                  }
                  sinks.accept(a);
                  if (metrics.metrics != null) {
                    metrics.metrics.onAlert(a);
                  }
                })) {
      metrics.followFlows(kafka, topics);
      stopped.await();
      NotifyOptions.finish(sinks, "run", err);
    }
    if (job.failure().isPresent()) {
      err.println("hoptrace run: job failed: " + job.failure().get());
      return 1;
    }
    return 0;
  }
}
