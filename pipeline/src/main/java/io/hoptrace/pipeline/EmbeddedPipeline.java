package io.hoptrace.pipeline;

import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.detect.DetectionStats;
import io.hoptrace.embedded.EmbeddedKafka;
import io.hoptrace.publish.SummaryPublisher;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AvroSerde;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.Incident;
import io.hoptrace.schema.KafkaClientSettings;
import io.hoptrace.schema.NodeInventory;
import io.hoptrace.schema.PacketsRecordSerde;
import io.hoptrace.schema.Topics;
import io.hoptrace.streams.DetectionTopology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The whole detection pipeline in one JVM: a real single-node Kafka broker ({@link EmbeddedKafka}),
 * hoptrace's topics, and the Kafka Streams detection job ({@link DetectionTopology}) on one stream
 * thread by default ({@link Builder#config}), exactly-once; or the same job on an existing Kafka
 * ({@link Builder#bootstrapServers}). The Kafka Streams {@link DetectionHost}: used by {@code
 * analyze}, {@code demo}, the benchmark and the ITs.
 *
 * <p>Topics: {@code packets} gets one partition by default ({@link
 * DetectionTopics#DEFAULT_PACKETS_PARTITIONS}): NAT stitching links the flow keys of one
 * conversation (Service DNAT, MASQUERADE, NodePort) through the fingerprint index of one task, so
 * every key must land on the same task. {@code nodes} is compacted; {@code flows}, {@code alerts},
 * {@code alerts.ecs} have one partition each.
 *
 * <p>Restart: with a fixed {@link Builder#applicationId} and {@link Builder#stateDir} (and a broker
 * {@link Builder#brokerDataDir} that survives), {@link #stopJob()} / {@link #startJob()} or a new
 * pipeline resume where the job's committed offsets left off.
 *
 * <pre>{@code
 * try (EmbeddedPipeline p = EmbeddedPipeline.builder().start()) {
 *   p.publishInventory(inventories);         // waits until the job's global store has them
 *   try (PacketSink pub = p.newPacketSink()) { ... pub.publish(key, summary) ... }
 *   p.endOfInput(Duration.ofMinutes(2));      // FLUSH on every partition, wait until drained
 *   List<Alert> alerts = p.readAlerts();
 * }
 * }</pre>
 */
public final class EmbeddedPipeline implements DetectionHost {
  /** Default application id (= consumer group and prefix of internal topics and state). */
  public static final String DEFAULT_APP_ID = "hoptrace-detect";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(EmbeddedPipeline.class);

  /** The in-process broker, or null when the pipeline uses an existing Kafka. */
  private final EmbeddedKafka kafka;

  private final KafkaClientSettings kafkaClients;
  private final Admin admin;

  /** External Kafka only: delete this pipeline's topics and consumer group on close. */
  private final boolean deleteOnClose;

  private final Topics topics;
  private final DetectionConfig detection;
  private final String applicationId;
  private final Path stateDir;
  private final boolean temporaryState;
  private final Map<String, Object> streamsOverrides;
  private final Duration punctuateInterval;
  private final JobTopicsIo io;
  private DetectionJob job;

  private final DetectionStats stats = new DetectionStats();
  private final ShutdownCleanup shutdown;
  private boolean closed;

  private EmbeddedPipeline(
      Builder b,
      EmbeddedKafka kafka,
      Admin admin,
      Path stateDir,
      boolean temporaryState,
      ShutdownCleanup shutdown) {
    this.kafka = kafka;
    this.kafkaClients =
        kafka != null ? KafkaClientSettings.plain(kafka.bootstrapServers()) : b.kafka();
    this.admin = admin;
    this.deleteOnClose = kafka == null && b.deleteOnClose;
    this.topics = b.topics();
    this.detection = b.detection();
    this.applicationId = b.applicationId;
    this.stateDir = stateDir;
    this.temporaryState = temporaryState;
    this.streamsOverrides = Map.copyOf(b.streamsOverrides);
    this.punctuateInterval = b.punctuateInterval;
    this.io = new JobTopicsIo(kafkaClients, topics);
    this.shutdown = shutdown;
    shutdown.pipeline = this;
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

  /** An admin client of the pipeline's Kafka (owned by the pipeline: do not close it). */
  public Admin admin() {
    return admin;
  }

  @Override
  public Topics topics() {
    return topics;
  }

  public String applicationId() {
    return applicationId;
  }

  public Path stateDir() {
    return stateDir;
  }

  /** The running job, or null when stopped. */
  public synchronized DetectionJob job() {
    return job;
  }

  /** The Streams properties of the job (host-independent defaults plus the overrides). */
  public Properties streamsConfig() {
    Properties p = DetectionTopology.config(kafkaClients, applicationId, stateDir);
    // stage 2 waits for the progress and end of input of every stage-1 task
    p.put(
        DetectionTopology.PACKETS_PARTITIONS_CONFIG,
        DetectionTopics.partitions(admin, topics.packets()));
    p.putAll(streamsOverrides);
    return p;
  }

  /** Starts the job (no-op when running) and waits until it is RUNNING. */
  public synchronized DetectionJob startJob() {
    if (job == null) {
      DetectionTopology topology =
          new DetectionTopology(
              topics,
              detection,
              punctuateInterval,
              PacketsRecordSerde.get(),
              AvroSerde.nodeInventory(),
              AvroSerde.flowRecord(),
              AvroSerde.alert());
      topology.stats(stats);
      DetectionJob j = new DetectionJob(topology, streamsConfig());
      try {
        j.start(START_TIMEOUT);
      } catch (RuntimeException e) {
        j.close(Duration.ofSeconds(10));
        throw e;
      }
      job = j;
    }
    return job;
  }

  /** {@link #startJob()}. */
  @Override
  public void start() {
    startJob();
  }

  /** Stops the job cleanly (commits what it processed); {@link #startJob()} resumes it. */
  public synchronized void stopJob() {
    if (job != null) {
      job.close(Duration.ofSeconds(30));
      job = null;
    }
  }

  /** A publisher to the packets and nodes topics (topics exist already; none are created). */
  public SummaryPublisher newPublisher() {
    return io.newPublisher();
  }

  /** A {@link #newPublisher()} as the replay's {@link PacketSink}. */
  @Override
  public PacketSink newPacketSink() {
    return io.newPacketSink();
  }

  /**
   * Publishes node inventories and, when the job is running, waits until its global store holds
   * each of them (so no packet is processed with an older inventory).
   */
  @Override
  public DetectionConfig detectionConfig() {
    return detection;
  }

  @Override
  public void publishInventory(List<NodeInventory> inventories, Duration timeout) {
    io.publishInventories(inventories);
    DetectionJob j = job();
    if (j == null) {
      return;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    for (NodeInventory n : inventories) {
      while (true) {
        j.checkHealthy();
        Optional<NodeInventory> seen = j.inventory(n.getNode());
        if (seen.isPresent() && seen.get().getTsNanos() == n.getTsNanos()) {
          break;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "inventory of "
                  + n.getNode()
                  + " not in the job's store after "
                  + timeout.toSeconds()
                  + " s");
        }
        DetectionJob.sleep(20);
      }
    }
  }

  /** Sends the end-of-input marker to every packets partition. */
  public void sendFlush() {
    EndOfInput.sendFlush(kafkaClients, topics, admin);
  }

  /** Waits until the job has committed everything published so far (see {@link EndOfInput}). */
  public void awaitDrained(Duration timeout) {
    DetectionJob j = job();
    Runnable healthy = j == null ? () -> {} : j::checkHealthy;
    EndOfInput.awaitDrained(admin, applicationId, topics, timeout, Duration.ofMillis(150), healthy);
  }

  /** {@link #sendFlush()} then {@link #awaitDrained}. */
  @Override
  public void endOfInput(Duration timeout) {
    sendFlush();
    awaitDrained(timeout);
  }

  /** A new reader of the alerts topic from its beginning (the caller closes it). */
  public TopicTail<Alert> tailAlerts() {
    return io.tailAlerts();
  }

  /** A new reader of the flows topic from its beginning (the caller closes it). */
  public TopicTail<FlowRecord> tailFlows() {
    return io.tailFlows();
  }

  /** Every alert record committed so far, in topic order (FIRING, updates, RESOLVED). */
  @Override
  public List<Alert> readAlerts() {
    return io.readAlerts();
  }

  /** Every flow record committed so far (interim and final), in topic order. */
  @Override
  public List<FlowRecord> readFlows() {
    return io.readFlows();
  }

  /** {@link JobTopicsIo#watchAlerts}. */
  @Override
  public Watch watchAlerts(Consumer<Alert> onAlert) {
    return io.watchAlerts(onAlert);
  }

  /** Every incident record committed so far, in topic order. */
  @Override
  public List<Incident> readIncidents() {
    return io.readIncidents();
  }

  /** A new reader of the incidents topic from its beginning (the caller closes it). */
  public TopicTail<Incident> tailIncidents() {
    return io.tailIncidents();
  }

  /** {@link JobTopicsIo#watchIncidents}. */
  @Override
  public Watch watchIncidents(Consumer<Incident> onIncident) {
    return io.watchIncidents(onIncident);
  }

  /** {@link JobTopicsIo#watchFlows}. */
  @Override
  public Watch watchFlows(Consumer<FlowRecord> onFlow) {
    return io.watchFlows(onFlow);
  }

  /** Where the job's detection cores publish their counters (for metrics). */
  @Override
  public DetectionStats detectionStats() {
    return stats;
  }

  /** Stops the job, the readers and the broker; deletes temporary directories. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    shutdown.unregister();
    try {
      if (deleteOnClose && job != null) {
        job.closeLeavingGroup(Duration.ofSeconds(30));
        job = null;
      }
      stopJob();
    } finally {
      io.close();
      if (kafka != null) {
        kafka.close();
      } else {
        try {
          if (deleteOnClose) {
            deleteOwnTopics();
          }
        } finally {
          admin.close(Duration.ofSeconds(10));
        }
      }
      if (temporaryState) {
        ShutdownCleanup.deleteRecursively(stateDir);
      }
    }
  }

  /**
   * Deletes what this pipeline created on an existing Kafka: its topics (the topic prefix), the
   * job's internal topics ({@code <application id>-...}) and its consumer group. Best effort: what
   * cannot be deleted is reported, not thrown.
   */
  private void deleteOwnTopics() {
    try {
      List<String> own =
          admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
              .filter(t -> t.startsWith(topics.prefix()) || t.startsWith(applicationId + "-"))
              .toList();
      admin.deleteTopics(own).all().get(60, TimeUnit.SECONDS);
      admin.deleteConsumerGroups(List.of(applicationId)).all().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn(
          "could not delete every topic or the consumer group of {} on {}: {}",
          applicationId,
          bootstrapServers(),
          e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * An embedded broker as a detection job (either engine) needs it: its outputs carry capture
   * (event) timestamps, and a replay of captures stamped in the future (skewed sensor clocks,
   * synthetic load) must not be rejected by the broker (default: at most 1 h ahead), which would
   * stop the exactly-once job.
   */
  public static EmbeddedKafka.Builder brokerForJob() {
    return EmbeddedKafka.builder()
        .brokerProperty("log.message.timestamp.after.max.ms", String.valueOf(Long.MAX_VALUE));
  }

  /** Options; every one has a default. */
  public static final class Builder extends HostBuilder<Builder> {
    private Path brokerDataDir;
    private Path stateDir;
    private Path stateRoot;
    private String applicationId = DEFAULT_APP_ID;
    private final Map<String, Object> streamsOverrides = new LinkedHashMap<>();
    private Duration punctuateInterval = DetectionTopology.DEFAULT_PUNCTUATE_INTERVAL;
    private boolean deleteOnClose;

    private Builder() {}

    @Override
    protected Builder self() {
      return this;
    }

    /** {@link #kafka} without connection settings. */
    public Builder bootstrapServers(String bootstrapServers, boolean deleteOnClose) {
      return kafka(KafkaClientSettings.plain(bootstrapServers), deleteOnClose);
    }

    /**
     * Uses the Kafka of {@code kafka} (its connection settings for every client of the pipeline)
     * instead of starting an in-process broker. Topics are created if missing (broker-default
     * replication); give the pipeline its own {@link #topics} prefix and {@link #applicationId} to
     * keep it apart from other users of the cluster.
     *
     * @param deleteOnClose delete the pipeline's topics, internal topics and consumer group when it
     *     closes
     */
    public Builder kafka(KafkaClientSettings kafka, boolean deleteOnClose) {
      externalKafka(kafka);
      if (brokerDataDir != null) {
        throw new IllegalArgumentException("a broker data directory needs the embedded broker");
      }
      this.deleteOnClose = deleteOnClose;
      return this;
    }

    /** Broker data directory (kept); default a temporary one deleted on close. */
    public Builder brokerDataDir(Path dir) {
      if (bootstrapServers() != null) {
        throw new IllegalArgumentException("a broker data directory needs the embedded broker");
      }
      this.brokerDataDir = Objects.requireNonNull(dir);
      return this;
    }

    /** Streams state directory (kept); default a temporary one deleted on close. */
    public Builder stateDir(Path dir) {
      this.stateDir = Objects.requireNonNull(dir);
      return this;
    }

    /**
     * Where the default temporary state directory is made ({@code streams-<random>} in it, deleted
     * on close, also on Ctrl-C); default {@link StateDirs#root()}, not the OS temporary directory.
     */
    public Builder stateRoot(Path dir) {
      this.stateRoot = Objects.requireNonNull(dir);
      return this;
    }

    /** Streams application id (default {@value EmbeddedPipeline#DEFAULT_APP_ID}). */
    public Builder applicationId(String id) {
      if (id == null || id.isBlank()) {
        throw new IllegalArgumentException("application id must not be blank");
      }
      this.applicationId = id;
      return this;
    }

    /**
     * Partitions of the packets topic and stream threads of the job ({@link PipelineConfig}; a
     * later {@link #packetsPartitions} or {@link #streamsProperty} overrides them).
     */
    public Builder config(PipelineConfig cfg) {
      packetsPartitions(cfg.packetsPartitions());
      streamsProperty(StreamsConfig.NUM_STREAM_THREADS_CONFIG, cfg.streamThreads());
      return this;
    }

    /** Overrides one Kafka Streams property of the job. */
    public Builder streamsProperty(String key, Object value) {
      streamsOverrides.put(key, value);
      return this;
    }

    /** Interval of the job's wall-clock and stream-time punctuations (default 1 s). */
    public Builder punctuateInterval(Duration d) {
      this.punctuateInterval = Objects.requireNonNull(d);
      return this;
    }

    /** Starts the broker, creates the topics and (unless disabled) starts the job. */
    public EmbeddedPipeline start() {
      if (deleteOnClose
          && (topics().prefix().equals(Topics.DEFAULT_PREFIX)
              || applicationId.equals(DEFAULT_APP_ID))) {
        // it would delete every hoptrace topic (or the default job's group) on the cluster
        throw new IllegalArgumentException(
            "deleting the pipeline's topics on close needs a topic prefix and an application id"
                + " of its own, not the defaults");
      }
      boolean temporaryState = stateDir == null;
      Path state;
      Path root = stateRoot != null ? stateRoot : StateDirs.root();
      try {
        if (temporaryState) {
          Files.createDirectories(root);
          state = Files.createTempDirectory(root, "streams-");
        } else {
          state = stateDir;
          Files.createDirectories(state);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot create the Streams state directory in "
                + (temporaryState ? root : stateDir)
                + ": "
                + e.getMessage(),
            e);
      }
      // from here on, Ctrl-C removes a temporary state directory whatever is under way
      ShutdownCleanup shutdown = new ShutdownCleanup(temporaryState ? state : null);
      EmbeddedPipeline p;
      if (kafka() != null) {
        Admin admin = Admin.create(kafka().client());
        p = new EmbeddedPipeline(this, null, admin, state, temporaryState, shutdown);
      } else {
        EmbeddedKafka.Builder broker = brokerForJob();
        if (brokerDataDir != null) {
          broker.dataDir(brokerDataDir);
        }
        EmbeddedKafka kafka;
        try {
          kafka = broker.start();
        } catch (RuntimeException e) {
          shutdown.unregister();
          if (temporaryState) {
            ShutdownCleanup.deleteRecursively(state);
          }
          throw e;
        }
        p = new EmbeddedPipeline(this, kafka, kafka.admin(), state, temporaryState, shutdown);
      }
      try {
        createTopics(p.kafka, p.admin);
        if (startsJob()) {
          p.startJob();
        }
        return p;
      } catch (RuntimeException e) {
        p.close();
        throw e;
      }
    }
  }
}
