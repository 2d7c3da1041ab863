package io.hoptrace.cli;

import io.hoptrace.flink.DetectionGraph;
import io.hoptrace.flink.FlinkHost;
import io.hoptrace.flink.FlowStoreSink;
import io.hoptrace.flink.LocalJobStats;
import io.hoptrace.flink.SinkRecord;
import io.hoptrace.flink.StateBackendKind;
import io.hoptrace.notify.AlertSinks;
import io.hoptrace.pcap.IncidentPcapTrigger;
import io.hoptrace.pipeline.AlertFollower;
import io.hoptrace.pipeline.DetectionTopics;
import io.hoptrace.pipeline.PipelineConfig;
import io.hoptrace.schema.KafkaClientSettings;
import io.hoptrace.schema.Topics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.FileUtils;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hoptrace flink --bootstrap HOST:PORT}: the Flink detection job against a Kafka. */
@Command(
    name = "flink",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the Apache Flink detection job on a local MiniCluster in this JVM against a Kafka"
          + " until Ctrl-C: reads the packets and nodes topics, writes flows, alerts and"
          + " alerts.ecs (exactly-once: Kafka transactions committed with each checkpoint)."
          + " Missing topics are created (packets with --packets-partitions).",
      "A restart resumes from the offsets the job committed at its last checkpoint, without the"
          + " state of open conversations (checkpoints go to a temporary directory, deleted on"
          + " exit).",
      "--metrics-port serves the job's metrics under the names of `hoptrace run` (the job runs in"
          + " this JVM)."
    })
final class FlinkCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--bootstrap",
      required = true,
      paramLabel = "HOST:PORT",
      description = "Kafka bootstrap servers.")
  String bootstrap;

  @Option(
      names = "--parallelism",
      paramLabel = "N",
      defaultValue = "1",
      description = "Parallelism of the job's operators (default: ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(
      names = "--job-id",
      defaultValue = FlinkHost.DEFAULT_JOB_ID,
      description =
          "Consumer group of the job's sources and prefix of its transactional ids (default:"
              + " ${DEFAULT-VALUE}).")
  String jobId;

  @Option(
      names = "--topic-prefix",
      defaultValue = Topics.DEFAULT_PREFIX,
      description = "Prefix of hoptrace's topics (default: ${DEFAULT-VALUE}).")
  String topicPrefix;

  @Option(
      names = "--packets-partitions",
      paramLabel = "N",
      defaultValue = "" + PipelineConfig.RUN_DEFAULT_PACKETS_PARTITIONS,
      description =
          "Partitions of the packets topic if it must be created (default: ${DEFAULT-VALUE}).")
  int packetsPartitions;

  @Option(
      names = "--checkpoint-interval",
      defaultValue = "PT1S",
      description = "Checkpoint interval, ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration checkpointInterval;

  @Option(
      names = "--store",
      paramLabel = "DIR|URI",
      description =
          "Also write the flow store (flows, alerts, incidents, per-hop counts as Parquet, one"
              + " directory per dataset and hour) with the job's FileSink: part files committed"
              + " with each checkpoint, read by `hoptrace query/flows/serve --store DIR`. A local"
              + " directory (created if missing); other Flink file systems (s3://, hdfs://) need"
              + " the cluster's plugins (the job jar's --store). Each checkpoint writes one file"
              + " per dataset and hour: give a store-writing job a --checkpoint-interval of tens"
              + " of seconds.")
  String store;

  @Mixin DetectionOptions detectionOptions;

  @Mixin KafkaConnectOptions connect;
  @Mixin StateBackendOption state;
  @Mixin JobMetricsOptions metricsOptions;

  @Mixin NotifyOptions notifyOptions;

  @Mixin IncidentPcapOptions incidentPcaps;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    PipelineOptions.check(
        PipelineConfig.PACKETS_PARTITIONS, packetsPartitions, "--packets-partitions");
    if (parallelism < 1) {
      throw new IllegalArgumentException("--parallelism " + parallelism + ": must be >= 1");
    }
    if (checkpointInterval.toMillis() < 10) {
      throw new IllegalArgumentException(
          "--checkpoint-interval " + checkpointInterval + ": must be >= 10 ms");
    }
    state.kind().checkAvailable();
    metricsOptions.validate();
    NotifyOptions.validate(notifyOptions);
    String storeUri = store == null ? null : FlowStoreSink.uri(store);
    if (storeUri != null) {
      FlowStoreSink.checkFileSystem(storeUri);
    }
    Topics topics = Topics.withPrefix(topicPrefix);
    KafkaClientSettings kafka = connect.check(bootstrap);
    try (Admin admin = Admin.create(kafka.client())) {
      DetectionTopics.ensure(admin, topics, packetsPartitions, Optional.empty());
      RunCommand.reportMismatches(admin, topics, packetsPartitions, "flink", err);
    }
    Path checkpointDir = StateBackendKind.temporaryCheckpointDir();
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironment(
            parallelism,
            state
                .kind()
                .configure(DetectionGraph.configuration(checkpointInterval, true), checkpointDir));
    DataStream<SinkRecord> outputs =
        DetectionGraph.build(
            env, new DetectionGraph.Settings(kafka, topics, detectionOptions.config(), jobId));
    if (storeUri != null) {
      FlowStoreSink.attach(outputs, topics, storeUri);
    }
    JobClient job = env.executeAsync("hoptrace detection (" + jobId + ")");
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    job.cancel().get(30, TimeUnit.SECONDS);
                  } catch (Exception e) {
                    // stopping anyway
                  }
                  if (checkpointDir != null) {
                    FileUtils.deleteDirectoryQuietly(checkpointDir.toFile());
                  }
                },
                "hoptrace-flink-stop"));
    err.println(
        "hoptrace flink: detection job "
            + jobId
            + " (parallelism "
            + parallelism
            + ", "
            + state.kind()
            + " state) running on "
            + bootstrap
            + " ("
            + topics.packets()
            + " -> "
            + topics.flows()
            + ", "
            + topics.alerts()
            + ", "
            + topics.alertsEcs()
            + (storeUri == null ? "" : ", store " + storeUri)
            + "); Ctrl-C to stop");
    err.flush();
    try (JobMetricsOptions.Served metrics =
            metricsOptions
                .start(LocalJobStats.of(jobId), "flink", err)
                .followTopics(kafka, topics);
        IncidentPcapTrigger pcaps =
            incidentPcaps.start(kafka, topics, detectionOptions.config(), "flink", err);
        AlertSinks sinks = notifyOptions.open();
        AlertFollower follower =
            sinks.isEmpty()
                ? null
                : AlertFollower.start(
                    kafka, topics.alerts(), Duration.ofMinutes(2), sinks::restore, sinks::accept)) {
      job.getJobExecutionResult().get();
      NotifyOptions.finish(sinks, "flink", err);
      return 0;
    } catch (ExecutionException e) {
      err.println("hoptrace flink: job failed: " + e.getCause());
      return 1;
    }
  }
}
