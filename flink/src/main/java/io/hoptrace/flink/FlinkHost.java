package io.hoptrace.flink;

import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.detect.DetectionStats;
import io.hoptrace.embedded.EmbeddedKafka;
import io.hoptrace.pipeline.DetectionHost;
import io.hoptrace.pipeline.EmbeddedPipeline;
import io.hoptrace.pipeline.EndOfInput;
import io.hoptrace.pipeline.HostBuilder;
import io.hoptrace.pipeline.JobTopicsIo;
import io.hoptrace.pipeline.PacketSink;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.Incident;
import io.hoptrace.schema.KafkaClientSettings;
import io.hoptrace.schema.NodeInventory;
import io.hoptrace.schema.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.FileUtils;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;

/**
 * The Flink {@link DetectionHost}: the Flink detection job ({@link DetectionGraph}) on a local
 * MiniCluster in this JVM, against an embedded single-node Kafka broker (default) or an existing
 * Kafka. What {@code analyze} and the ITs use to run a replay through Flink.
 *
 * <p>Draining: the job's sources commit their offsets to the job's consumer group at each completed
 * checkpoint, and its exactly-once sink commits its Kafka transaction right after. {@link
 * #publishInventory} waits until the nodes topic is committed (every subtask of stage 1 has the
 * inventory in its broadcast state); {@link #endOfInput} sends the end-of-input marker to every
 * packets partition ({@link EndOfInput#sendFlush}), waits until packets (and nodes: stage 1 judges
 * packets once it has read them, {@link InventoryFirst}) are committed up to the markers and then
 * until no transaction is open on the output topics. While waiting for a commit it sends records
 * that change nothing ({@link Nudges}): an idle source commits late.
 */
public final class FlinkHost implements DetectionHost {
  /** Default consumer group and transactional-id prefix of the job. */
  public static final String DEFAULT_JOB_ID = "hoptrace-flink";

  /** Default checkpoint interval: how often the job commits its outputs. */
  public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(1);

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration SETTLE = Duration.ofMillis(150);

  private final EmbeddedKafka kafka;
  private final KafkaClientSettings kafkaClients;
  private final Admin admin;
  private final Builder options;
  private final JobTopicsIo io;
  private final KafkaProgress progress;
  private final Nudges nudges;
  private JobClient job;
  private Path checkpointDir;
  private boolean closed;

  private FlinkHost(Builder b, EmbeddedKafka kafka, KafkaClientSettings kafkaClients, Admin admin) {
    this.options = b;
    this.kafka = kafka;
    this.kafkaClients = kafkaClients;
    this.admin = admin;
    this.io = new JobTopicsIo(kafkaClients, b.topics());
    this.progress = new KafkaProgress(admin);
    this.nudges = new Nudges(kafkaClients);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String bootstrapServers() {
    return kafkaClients.bootstrapServers();
  }

  @Override
  public KafkaClientSettings kafkaClients() {
    return kafkaClients;
  }

  /** The job's topics. */
  @Override
  public Topics topics() {
    return options.topics();
  }

  @Override
  public DetectionConfig detectionConfig() {
    return options.detection();
  }

  /** Submits the job to a local MiniCluster (no-op when it runs) and waits until it runs. */
  @Override
  public synchronized void start() {
    if (job != null) {
      return;
    }
    Configuration conf = DetectionGraph.configuration(options.checkpointInterval, false);
    if (checkpointDir == null) {
      checkpointDir = StateBackendKind.temporaryCheckpointDir();
    }
    StreamExecutionEnvironment env =
        options.environment.apply(options.stateBackend.configure(conf, checkpointDir));
    env.setParallelism(options.parallelism);
    DataStream<SinkRecord> outputs =
        DetectionGraph.build(
            env,
            new DetectionGraph.Settings(
                kafkaClients.bootstrapServers(),
                options.topics(),
                options.detection(),
                options.jobId,
                options.tick,
                DetectionGraph.NEVER_IDLE, // a replay: every partition ends with its marker
                kafkaClients.connection()));
    if (options.store != null) {
      FlowStoreSink.attach(outputs, options.topics(), options.store);
    }
    try {
      job = env.executeAsync("hoptrace detection (" + options.jobId + ")");
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the Flink job: " + e, e);
    }
    await(
        "the Flink job to run",
        START_TIMEOUT,
        () -> status() == JobStatus.RUNNING ? "" : "not yet",
        () -> {});
  }

  private JobStatus status() {
    return Jobs.status(job, "Flink detection job");
  }

  /** Throws when the job has stopped (failed, cancelled or finished). */
  public synchronized void checkHealthy() {
    if (job == null) {
      return;
    }
    String s;
    try {
      JobStatus status = status();
      s = status.isGloballyTerminalState() ? status.toString() : null;
    } catch (IllegalStateException clusterGone) {
      // a job's own MiniCluster stops when the job ends
      s = "ended";
    }
    if (s != null) {
      String cause;
      try {
        job.getJobExecutionResult().get(10, TimeUnit.SECONDS);
        cause = "ended";
      } catch (ExecutionException e) {
        cause = String.valueOf(e.getCause());
      } catch (TimeoutException | InterruptedException e) {
        cause = "unknown cause";
      }
      throw new IllegalStateException("the Flink detection job is " + s + ": " + cause);
    }
  }

  @Override
  public void publishInventory(List<NodeInventory> inventories, Duration timeout) {
    io.publishInventories(inventories);
    if (job != null) {
      String topic = options.topics().nodes();
      Map<TopicPartition, Long> ends = progress.ends(topic);
      await(
          "the job's inventory",
          timeout,
          () -> progress.uncommitted(options.jobId, ends),
          () -> nudges.inventories(topic, inventories));
    }
  }

  @Override
  public PacketSink newPacketSink() {
    return io.newPacketSink();
  }

  /** {@link #sendFlush()} then {@link #awaitDrained}. */
  @Override
  public void endOfInput(Duration timeout) {
    sendFlush();
    awaitDrained(timeout);
  }

  /** Sends the end-of-input marker to every packets partition. */
  public void sendFlush() {
    EndOfInput.sendFlush(kafkaClients, options.topics(), admin);
  }

  /**
   * Waits until the job has committed everything published so far: its sources' offsets (a
   * completed checkpoint covered every packet) and its sink's last transaction.
   */
  public void awaitDrained(Duration timeout) {
    Topics t = options.topics();
    Map<TopicPartition, Long> packetEnds = progress.ends(t.packets());
    // stage 1 judges packets once the nodes topic is read (InventoryFirst): committed packets
    // offsets alone do not say they were judged when the job started on a full nodes topic
    Map<TopicPartition, Long> ends = new java.util.HashMap<>(packetEnds);
    ends.putAll(progress.ends(t.nodes()));
    // drop records have a source of their own: committed up to where the topic ended too
    Map<TopicPartition, Long> dropEnds = progress.ends(t.drops());
    ends.putAll(dropEnds);
    await(
        "the job to drain",
        timeout,
        () -> progress.uncommitted(options.jobId, ends),
        () -> {
          nudges.empty(t.packets(), packetEnds.size());
          nudges.empty(t.drops(), dropEnds.size());
          nudges.tombstone(t.nodes());
        });
    await(
        "the job's last transaction",
        timeout,
        () ->
            progress.openTransactions(List.of(t.flows(), t.alerts(), t.alertsEcs(), t.incidents())),
        () -> {});
  }

  /**
   * Polls {@code lag} ("" when done) until it is "" twice in a row, {@link #SETTLE} apart, with a
   * {@code nudge} after each poll that is not.
   */
  private void await(String what, Duration timeout, Supplier<String> lag, Runnable nudge) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int inARow = 0;
    String last = "";
    while (inARow < 2) {
      checkHealthy();
      last = lag.get();
      inARow = last.isEmpty() ? inARow + 1 : 0;
      if (inARow < 2 && System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "waited " + timeout.toSeconds() + " s for " + what + ": " + last);
      }
      if (inARow == 0) {
        nudge.run();
      }
      if (inARow < 2) {
        sleep(SETTLE.toMillis());
      }
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public List<Alert> readAlerts() {
    return io.readAlerts();
  }

  @Override
  public List<FlowRecord> readFlows() {
    return io.readFlows();
  }

  @Override
  public List<Incident> readIncidents() {
    return io.readIncidents();
  }

  @Override
  public Watch watchAlerts(Consumer<Alert> onAlert) {
    return io.watchAlerts(onAlert);
  }

  @Override
  public Watch watchFlows(Consumer<FlowRecord> onFlow) {
    return io.watchFlows(onFlow);
  }

  /** The counters stage 1's subtasks publish ({@link LocalJobStats} of the job id). */
  @Override
  public DetectionStats detectionStats() {
    return LocalJobStats.of(options.jobId);
  }

  @Override
  public Watch watchIncidents(Consumer<Incident> onIncident) {
    return io.watchIncidents(onIncident);
  }

  /** Cancels the job (its MiniCluster stops with it), closes the readers and the broker. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (job != null) {
        Jobs.cancel(job);
      }
    } finally {
      LocalJobStats.forget(options.jobId);
      io.close();
      nudges.close();
      if (checkpointDir != null) {
        FileUtils.deleteDirectoryQuietly(checkpointDir.toFile());
      }
      if (kafka != null) {
        kafka.close();
      } else {
        admin.close(Duration.ofSeconds(10));
      }
    }
  }

  /**
   * An embedded broker as the job needs it: its outputs carry capture (event) timestamps, which may
   * lie in the future.
   */
  public static EmbeddedKafka startBroker() {
    return EmbeddedPipeline.brokerForJob().start();
  }

  /** Options; every one has a default. */
  public static final class Builder extends HostBuilder<Builder> {
    private int parallelism = 1;
    private String jobId = DEFAULT_JOB_ID;
    private Duration checkpointInterval = DEFAULT_CHECKPOINT_INTERVAL;
    private Duration tick = DetectionGraph.DEFAULT_TICK;
    private StateBackendKind stateBackend = StateBackendKind.heap;
    private String store;
    private Function<Configuration, StreamExecutionEnvironment> environment =
        conf -> StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);

    private Builder() {}

    @Override
    protected Builder self() {
      return this;
    }

    /**
     * Where the job runs, given its configuration (default: a MiniCluster of its own, {@link
     * StreamExecutionEnvironment#createLocalEnvironment}; tests pass a shared one).
     */
    public Builder environment(Function<Configuration, StreamExecutionEnvironment> env) {
      this.environment = Objects.requireNonNull(env);
      return this;
    }

    /** Parallelism of the job's operators (default 1). */
    public Builder parallelism(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("parallelism must be >= 1");
      }
      this.parallelism = n;
      return this;
    }

    /**
     * Also writes the flow store with the job's {@link FlowStoreSink} to {@code store} (a local
     * directory or a Flink file-system URI; default: none).
     */
    public Builder store(String store) {
      this.store = FlowStoreSink.uri(store);
      return this;
    }

    /** Consumer group of the sources and transactional-id prefix of the sink. */
    public Builder jobId(String id) {
      if (id == null || id.isBlank()) {
        throw new IllegalArgumentException("job id must not be blank");
      }
      this.jobId = id;
      return this;
    }

    /** Checkpoint interval (default 1 s): how often outputs are committed. */
    public Builder checkpointInterval(Duration d) {
      if (d.toMillis() < 10) {
        throw new IllegalArgumentException("checkpoint interval must be >= 10 ms");
      }
      this.checkpointInterval = d;
      return this;
    }

    /**
     * Where the job keeps its keyed state (default: the heap; RocksDB checkpoints incrementally).
     * Either way checkpoints go to a temporary directory deleted on {@link FlinkHost#close()}.
     */
    public Builder stateBackend(StateBackendKind backend) {
      this.stateBackend = Objects.requireNonNull(backend);
      return this;
    }

    /** Uses the Kafka at {@code bootstrapServers} (topics created if missing). */
    public Builder bootstrapServers(String servers) {
      return kafka(KafkaClientSettings.plain(servers));
    }

    /** Uses the Kafka of {@code kafka}, with its connection settings for every client. */
    public Builder kafka(KafkaClientSettings kafka) {
      externalKafka(kafka);
      return this;
    }

    /**
     * Starts the broker (unless external), creates the topics and starts the job (unless {@link
     * #startJob(boolean)} said not to).
     */
    public FlinkHost start() {
      stateBackend.checkAvailable();
      FlinkHost h;
      if (kafka() != null) {
        Admin admin = Admin.create(kafka().client());
        h = new FlinkHost(this, null, kafka(), admin);
      } else {
        EmbeddedKafka kafka = startBroker();
        h =
            new FlinkHost(
                this, kafka, KafkaClientSettings.plain(kafka.bootstrapServers()), kafka.admin());
      }
      try {
        createTopics(h.kafka, h.admin);
        if (startsJob()) {
          h.start();
        }
        return h;
      } catch (RuntimeException e) {
        h.close();
        throw e;
      }
    }
  }
}
