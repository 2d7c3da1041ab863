package io.hoptrace.flink;

import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.schema.KafkaClientSettings;
import io.hoptrace.schema.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The Flink detection job: the same inputs, stages and outputs as the Kafka Streams job ({@link
 * io.hoptrace.streams.DetectionTopology}).
 *
 * <ol>
 *   <li>{@code packets} ({@link KafkaSource}, event time from the capture timestamp, {@link
 *       PacketWatermarks} per partition) and {@code drops} (a source of its own, no event time:
 *       {@link NoWatermarks}) keyed by the record key — the routing key, which every tuple of a
 *       NAT-ed conversation shares — into stage 1 ({@link FlowStage}), whose idleness goes no
 *       further ({@link StaysActive});
 *   <li>{@code nodes} (compacted, read from the start) broadcast to stage 1, which judges no packet
 *       before it has read the topic up to where it ended when the job was built ({@link
 *       InventoryEnd}, {@link InventoryFirst});
 *   <li>stage 1's findings keyed by alert subject into stage 2 ({@link AlertStage}), its alerts
 *       keyed by incident into stage 3 ({@link IncidentStage});
 *   <li>flow records (stage 1) and alerts (stage 2) into one {@link KafkaSink}, exactly-once (Kafka
 *       transactions committed with each checkpoint), to {@code flows}, {@code alerts} and {@code
 *       alerts.ecs}.
 * </ol>
 *
 * <p>End of input: the marker record ({@link io.hoptrace.streams.DetectionTopology#FLUSH_KEY}) on
 * every packets partition, as for the Kafka Streams job; here it moves the partition's watermark
 * ({@link PacketWatermarks}). The sources commit their offsets to the consumer group {@link
 * Settings#groupId} at each completed checkpoint (what {@link io.hoptrace.pipeline.EndOfInput}
 * reads).
 */
public final class DetectionGraph {
  /** Default timer tick: the Kafka Streams host's punctuation interval. */
  public static final Duration DEFAULT_TICK = Duration.ofSeconds(1);

  /**
   * Default idleness of a packets partition: live traffic, where a partition without records for
   * that long is marked idle and holds nobody's event time back. Its records after the pause carry
   * about today's capture times, ahead of the watermark the other partitions moved meanwhile.
   */
  public static final Duration DEFAULT_IDLENESS = Duration.ofSeconds(2);

  /**
   * No idleness: a replay, whose every partition ends with an explicit end-of-input marker. A
   * recording's capture times run far faster than the wall clock; a partition marked idle because
   * its first fetch came late (its source subtask had polled an empty topic before the replay
   * began) would hand its packets to stage 1 seconds of event time behind a watermark moved by the
   * others — judged too late to match across hops.
   */
  public static final Duration NEVER_IDLE = Duration.ofMillis(Long.MAX_VALUE);

  /** The producers' transaction timeout: at most the broker's maximum (15 min by default). */
  static final String TRANSACTION_TIMEOUT_MS = "600000";

  private DetectionGraph() {}

  /**
   * What the job reads, writes and how.
   *
   * @param groupId consumer group of the sources (offsets committed at checkpoints) and prefix of
   *     the sink's transactional ids: one per job
   * @param kafka further Kafka client properties for sources and sink (e.g. security)
   */
  public record Settings(
      String bootstrapServers,
      Topics topics,
      DetectionConfig detection,
      String groupId,
      Duration tick,
      Duration idleness,
      Map<String, String> kafka) {
    public Settings {
      if (bootstrapServers == null || bootstrapServers.isBlank()) {
        throw new IllegalArgumentException("bootstrap servers must not be blank");
      }
      if (groupId == null || groupId.isBlank()) {
        throw new IllegalArgumentException("group id must not be blank");
      }
      Objects.requireNonNull(topics);
      Objects.requireNonNull(detection);
      kafka = Map.copyOf(kafka);
    }

    public Settings(String bootstrapServers, Topics topics, DetectionConfig cfg, String groupId) {
      this(KafkaClientSettings.plain(bootstrapServers), topics, cfg, groupId);
    }

    /** On the cluster of {@code kafka}, its connection settings for sources and sink. */
    public Settings(KafkaClientSettings kafka, Topics topics, DetectionConfig cfg, String groupId) {
      this(
          kafka.bootstrapServers(),
          topics,
          cfg,
          groupId,
          DEFAULT_TICK,
          DEFAULT_IDLENESS,
          kafka.connection());
    }
  }

  /**
   * Flink settings of the job: checkpoints every {@code checkpointInterval} (exactly-once), no Kryo
   * fallback (every type has a serializer of its own), and no restart when {@code restart} is false
   * (tests and the embedded host: a failure is reported, not retried).
   */
  public static Configuration configuration(Duration checkpointInterval, boolean restart) {
    Configuration c = new Configuration();
    c.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
    c.set(PipelineOptions.GENERIC_TYPES, false);
    if (!restart) {
      c.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    }
    return c;
  }

  /**
   * Adds the job to an environment; returns its outputs (what its Kafka sink writes), for further
   * sinks ({@link FlowStoreSink}).
   */
  public static DataStream<SinkRecord> build(StreamExecutionEnvironment env, Settings s) {
    StageSettings stage = new StageSettings(s.detection(), s.topics(), s.tick());
    KafkaSource<PacketIn> packetSource = packetSource(s).build();
    KafkaSource<NodeUpdate> nodeSource =
        KafkaSource.<NodeUpdate>builder()
            .setBootstrapServers(s.bootstrapServers())
            .setProperties(consumerProperties(s))
            .setGroupId(s.groupId())
            .setTopics(s.topics().nodes())
            .setClientIdPrefix(s.groupId() + "-nodes")
            // compacted: every node's latest inventory, as a Kafka Streams global store reads it
            .setStartingOffsets(OffsetsInitializer.earliest())
            .setDeserializer(new KafkaRecords.Nodes())
            .build();
    DataStream<PacketIn> drops =
        env.fromSource(dropSource(s), NoWatermarks.<PacketIn>strategy(), "drops").uid("drops");
    DataStream<PacketIn> packets =
        env.fromSource(
                packetSource, PacketWatermarks.strategy(s.detection(), s.idleness()), "packets")
            .uid("packets")
            .filter(p -> !p.flush)
            .name("drop end-of-input markers")
            .uid("drop-markers")
            .union(drops);
    DataStream<NodeUpdate> nodes =
        env.fromSource(nodeSource, NoWatermarks.<NodeUpdate>strategy(), "nodes")
            .uid("nodes")
            .setParallelism(1)
            .broadcast();
    InventoryEnd inventoryEnd =
        InventoryEnd.read(s.bootstrapServers(), s.kafka(), s.topics().nodes());
    SingleOutputStreamOperator<FindingIn> findings =
        packets
            .keyBy(p -> p.key)
            .connect(nodes)
            .transform(
                "flow-detector",
                TypeInformation.of(FindingIn.class),
                new InventoryFirst(new FlowStage(stage, s.groupId()), inventoryEnd))
            .uid("flow-detector");
    DataStream<SinkRecord> alerts =
        findings
            .transform(
                "stage 1 stays active", TypeInformation.of(FindingIn.class), new StaysActive<>())
            .uid("stays-active")
            .keyBy(f -> f.key)
            .process(new AlertStage(stage))
            .name("alert-aggregator")
            .uid("alert-aggregator");
    String alertsTopic = s.topics().alerts();
    DataStream<SinkRecord> incidents =
        alerts
            .filter(r -> alertsTopic.equals(r.topic))
            .name("alert records")
            .uid("alert-records")
            .keyBy(new IncidentStage.ByIncident())
            .process(new IncidentStage(stage))
            .name("incidents")
            .uid("incidents");
    DataStream<SinkRecord> outputs =
        findings.getSideOutput(FlowStage.FLOWS).union(alerts, incidents);
    outputs.sinkTo(sink(s)).name("flows, alerts, alerts.ecs, incidents").uid("outputs");
    return outputs;
  }

  private static java.util.Properties properties(Settings s) {
    java.util.Properties p = new java.util.Properties();
    p.putAll(s.kafka());
    return p;
  }

  /**
   * Properties of the sources' consumers: the classic group protocol. Not the consumer protocol
   * ({@code group.protocol=consumer}): Kafka 4.2's client with a group id and assigned partitions
   * (what a Flink Kafka source does) never blocks in poll — KAFKA-20426, fixed after 4.2 — so each
   * source's fetcher spun a core even on an idle topic (JFR of {@code bench detect --engine flink}:
   * the nodes source's fetcher took 0.7× the CPU of stage 1 itself). With the classic client a
   * source commits a checkpoint's offsets after its fetcher's current poll (up to 10 s on an idle
   * topic); hosts that wait for those commits end the poll with {@link Nudges}.
   */
  static java.util.Properties consumerProperties(Settings s) {
    java.util.Properties p = new java.util.Properties();
    p.putAll(s.kafka());
    return p;
  }

  /**
   * The source of the packets topic: committed records only, from the group's committed offsets
   * (the earliest for a new group), decoded into {@link PacketIn}.
   */
  static org.apache.flink.connector.kafka.source.KafkaSourceBuilder<PacketIn> packetSource(
      Settings s) {
    return packetsRecords(s, s.topics().packets());
  }

  /**
   * The source of the drops topic (keyed and partitioned as packets), read as {@link #packetSource}
   * reads packets. A source of its own, without watermarks ({@link NoWatermarks}): in the packets
   * source its partitions — empty in most deployments — held the source's watermark back until
   * idle, so an end-of-input watermark could trail the checkpoint that drained the job.
   */
  private static KafkaSource<PacketIn> dropSource(Settings s) {
    return packetsRecords(s, s.topics().drops()).build();
  }

  private static org.apache.flink.connector.kafka.source.KafkaSourceBuilder<PacketIn>
      packetsRecords(Settings s, String topic) {
    return KafkaSource.<PacketIn>builder()
        .setBootstrapServers(s.bootstrapServers())
        .setProperties(consumerProperties(s))
        .setGroupId(s.groupId())
        .setProperty("isolation.level", "read_committed")
        .setTopics(topic)
        .setClientIdPrefix(
            s.groupId() + "-" + (topic.equals(s.topics().drops()) ? "drops" : "packets"))
        .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
        .setDeserializer(new KafkaRecords.Packets(s.topics().drops()));
  }

  private static KafkaSink<SinkRecord> sink(Settings s) {
    return KafkaSink.<SinkRecord>builder()
        .setBootstrapServers(s.bootstrapServers())
        .setKafkaProducerConfig(properties(s))
        .setRecordSerializer(new KafkaRecords.Outputs())
        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
        .setTransactionalIdPrefix(s.groupId())
        .setProperty("transaction.timeout.ms", TRANSACTION_TIMEOUT_MS)
        .build();
  }
}
