package io.hoptrace.flink;

import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.pipeline.DetectionTopics;
import io.hoptrace.pipeline.PipelineConfig;
import io.hoptrace.schema.KafkaClientSettings;
import io.hoptrace.schema.Topics;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ParameterTool;
import org.apache.kafka.clients.admin.Admin;

/**
 * Entry point of the job jar ({@code hoptrace-flink-*-job.jar}) that {@code flink run} or the Flink
 * Kubernetes Operator submits to a Flink cluster: creates missing topics, then submits the
 * detection job ({@link DetectionGraph}) to the environment it runs in, with checkpoints, restarts
 * as the cluster configures them and the chosen state backend.
 *
 * <p>Arguments: {@code --bootstrap HOST:PORT} (required), {@code --topic-prefix P} (default {@value
 * Topics#DEFAULT_PREFIX}), {@code --job-id ID} (consumer group and transactional-id prefix, default
 * {@value FlinkHost#DEFAULT_JOB_ID}), {@code --packets-partitions N} (if the packets topic must be
 * created, default as {@code hoptrace run}: {@link PipelineConfig#RUN_DEFAULT_PACKETS_PARTITIONS}),
 * {@code --checkpoint-interval ISO-8601} (default PT1S), {@code --state-backend heap|rocksdb}
 * (default: the cluster's), {@code --checkpoint-dir URI} (required with rocksdb unless the cluster
 * sets one), {@code --kafka-config FILE} (Kafka client connection settings: TLS, SASL; read where
 * the job is submitted), {@code --store URI} (also write the flow store there with {@link
 * FlowStoreSink}: {@code s3://…}, {@code hdfs://…} through the cluster's file-system plugins, or a
 * directory every task manager shares). Bad arguments: one line on stderr, exit code 2.
 */
public final class DetectionJobMain {
  private static final Set<String> KNOWN =
      Set.of(
          "bootstrap",
          "topic-prefix",
          "job-id",
          "packets-partitions",
          "checkpoint-interval",
          "state-backend",
          "checkpoint-dir",
          "kafka-config",
          "store");

  /** What {@link ParameterTool} gives for an argument without a value. */
  private static final String NO_VALUE = "__NO_VALUE_KEY";

  private DetectionJobMain() {}

  public static void main(String[] args) throws Exception {
    Job job;
    try {
      job = Job.parse(args);
    } catch (IllegalArgumentException e) {
      fail(System.err, e.getMessage());
      return;
    }
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(job.configuration());
    try (Admin admin = Admin.create(job.kafka.client())) {
      DetectionTopics.ensure(admin, job.topics, job.packetsPartitions, Optional.empty());
    }
    var outputs =
        DetectionGraph.build(
            env,
            new DetectionGraph.Settings(
                job.kafka, job.topics, DetectionConfig.defaults(), job.jobId));
    if (job.store != null) {
      FlowStoreSink.attach(outputs, job.topics, job.store);
    }
    env.execute("hoptrace detection (" + job.jobId + ")");
  }

  /**
   * Checks job arguments as {@link #main} reads them (for manifests that submit this jar).
   *
   * @throws IllegalArgumentException naming the argument that is missing or wrong
   */
  public static void checkArguments(String... args) {
    Job.parse(args);
  }

  private static void fail(PrintStream err, String message) {
    err.println("hoptrace flink job: " + message);
    System.exit(2);
  }

  /** The parsed arguments. */
  record Job(
      KafkaClientSettings kafka,
      Topics topics,
      String jobId,
      int packetsPartitions,
      Duration checkpointInterval,
      StateBackendKind stateBackend,
      String checkpointDir,
      String store) {

    /**
     * @throws IllegalArgumentException naming the argument that is missing or wrong
     */
    static Job parse(String[] args) {
      ParameterTool p;
      try {
        p = ParameterTool.fromArgs(args);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("arguments: " + e.getMessage(), e);
      }
      for (String k : p.toMap().keySet()) {
        if (!KNOWN.contains(k)) {
          throw new IllegalArgumentException("unknown argument --" + k + " (known: " + KNOWN + ")");
        }
      }
      String bootstrap = p.get("bootstrap");
      if (bootstrap == null || bootstrap.isBlank() || bootstrap.equals(NO_VALUE)) {
        throw new IllegalArgumentException("--bootstrap HOST:PORT is required");
      }
      int partitions;
      try {
        partitions =
            Integer.parseInt(
                p.get("packets-partitions", "" + PipelineConfig.RUN_DEFAULT_PACKETS_PARTITIONS));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--packets-partitions: not a number", e);
      }
      if (partitions < 1) {
        throw new IllegalArgumentException("--packets-partitions must be >= 1");
      }
      Duration interval;
      try {
        interval = Duration.parse(p.get("checkpoint-interval", "PT1S"));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "--checkpoint-interval: not an ISO-8601 duration (e.g. PT1S)", e);
      }
      if (interval.toMillis() < 10) {
        throw new IllegalArgumentException("--checkpoint-interval must be >= 10 ms");
      }
      StateBackendKind backend = null;
      if (p.has("state-backend")) {
        try {
          backend = StateBackendKind.valueOf(p.get("state-backend"));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("--state-backend: heap or rocksdb", e);
        }
      }
      String jobId = p.get("job-id", FlinkHost.DEFAULT_JOB_ID);
      if (jobId.isBlank()) {
        throw new IllegalArgumentException("--job-id must not be blank");
      }
      String kafkaConfig = p.get("kafka-config");
      if (NO_VALUE.equals(kafkaConfig)) {
        throw new IllegalArgumentException("--kafka-config needs a FILE");
      }
      String store = p.get("store");
      if (NO_VALUE.equals(store)) {
        throw new IllegalArgumentException("--store needs a DIR or URI");
      }
      store = store == null ? null : FlowStoreSink.uri(store);
      KafkaClientSettings kafka =
          KafkaClientSettings.load(bootstrap, kafkaConfig == null ? null : Path.of(kafkaConfig));
      return new Job(
          kafka,
          Topics.withPrefix(p.get("topic-prefix", Topics.DEFAULT_PREFIX)),
          jobId,
          partitions,
          interval,
          backend,
          p.get("checkpoint-dir"),
          store);
    }

    /** Checkpoints and no Kryo ({@link DetectionGraph#configuration}), restarts, state backend. */
    Configuration configuration() {
      Configuration c = DetectionGraph.configuration(checkpointInterval, true);
      if (checkpointDir != null) {
        c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir);
      }
      if (stateBackend != null) {
        stateBackend.configure(c);
      }
      return c;
    }
  }
}
