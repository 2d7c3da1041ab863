package io.hoptrace.streams;

import io.hoptrace.detect.Codecs;
import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.detect.DetectionStats;
import io.hoptrace.detect.state.Codec;
import io.hoptrace.ecs.EcsAlertJson;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AvroSerde;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.KafkaClientSettings;
import io.hoptrace.schema.NodeInventory;
import io.hoptrace.schema.PacketsRecordSerde;
import io.hoptrace.schema.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The Kafka Streams detection job: hosts the plain-Java core ({@link io.hoptrace.detect}) over the
 * {@code packets} and {@code nodes} topics and writes {@code flows}, {@code alerts} and {@code
 * alerts.ecs}.
 *
 * <p>Topology:
 *
 * <ol>
 *   <li>{@code nodes} (compacted) feeds a global store, so every task sees every node's inventory.
 *   <li>Stage 1, {@code flow-detector}: {@code packets} keyed by canonical flow key, event time
 *       from the capture timestamp; both record kinds of the topic ({@link PacketsRecordSerde}:
 *       packet summaries and, in reduced mode, a sensor's per-hop counters) and {@code drops} (the
 *       kernel's drop reasons, keyed and partitioned alike) go to the core in partition order; a
 *       {@link io.hoptrace.detect.FlowDetector} per task over persistent stores (conversations,
 *       aliases, hops), each behind a cache of decoded values written back at every commit ({@link
 *       ObjectCachingStore}). Derived state is in memory only, rebuilt from the restored
 *       conversations when a task starts: the NAT fingerprint index and the index of deadlines by
 *       time (each conversation holds its own deadline). Emits flow records to {@code flows} and
 *       findings keyed by their alert subject.
 *   <li>Findings are repartitioned by subject (internal topic {@code <app>-findings-repartition})
 *       to stage 2, {@code alert-aggregator}: an {@link io.hoptrace.detect.AlertAggregator} per
 *       task deduplicates, aggregates across flows (storms per destination, ICMP patterns per
 *       reporter/target/code, DNS per resolver, VTEP conflicts) and emits FIRING/RESOLVED alerts to
 *       {@code alerts} (keyed by alert id) and as ECS JSON to {@code alerts.ecs}. It takes the
 *       findings of all stage-1 tasks in event-time order ({@link
 *       io.hoptrace.detect.FindingOrder}): at each punctuation every stage-1 task sends its
 *       progress ({@code #progress} marker) to every stage-2 partition, and findings wait until
 *       every task has passed their stamp.
 * </ol>
 *
 * <p>Time: event time (capture timestamps) with the core's lateness for late sensors. Stage 1
 * punctuates on stream time and on wall-clock time; the wall clock advances event time by the wall
 * time elapsed since the largest event seen, so a flow that goes silent still alerts (an unanswered
 * SYN within the one-way window) without further traffic. Stage 2's clock is the smallest progress
 * of the stage-1 tasks ({@code #progress} markers after each punctuation; how many tasks: {@link
 * #PACKETS_PARTITIONS_CONFIG}).
 *
 * <p>End of input: a record with key {@link #FLUSH_KEY} (any value, e.g. null) on a packets
 * partition ends every conversation of that partition's task; the marker is forwarded to every
 * partition of stage 2, which flushes its windows once the marker of every stage-1 task has
 * arrived. A replay tool sends it to every partition.
 *
 * <p>NAT: stitching flow keys rewritten by NAT needs every tuple of a conversation on one task (the
 * fingerprint index and the conversations live in the task's stores). Publishers key each summary
 * by its conversation's route key ({@code io.hoptrace.route.NatLinks}), so any partition count
 * works for replays; tuples of one NAT-ed conversation published under different keys stay separate
 * conversations (never wrongly merged). See docs/detection.md, "NAT linking across partitions".
 *
 * <p>Other limits: the event-time extrapolation of the wall clock restarts from the first record
 * after a restart; undecodable records are counted and skipped ({@link
 * LogAndCountDeserializationHandler}); per-conversation state is bounded (hops, pending
 * fingerprints, DNS queries) by {@link DetectionConfig}.
 */
public final class DetectionTopology {
  /** Key of the end-of-input marker on the packets topic. */
  public static final String FLUSH_KEY = "#flush";

  /** Key of a stage-1 task's progress marker to stage 2 (internal findings topic only). */
  static final String PROGRESS_KEY = "#progress";

  /**
   * Streams property: partitions of the packets topic, i.e. the number of stage-1 tasks whose
   * progress and end of input stage 2 waits for (default 1). Hosts set it from the topic.
   */
  public static final String PACKETS_PARTITIONS_CONFIG = "hoptrace.packets.partitions";

  /**
   * Wall time after which a stage-1 task that never reported progress (no packet on its partition)
   * stops holding stage 2 back.
   */
  public static final Duration IDLE_UPSTREAM = Duration.ofSeconds(30);

  public static final String NODES_STORE = "nodes";
  public static final String CONVERSATIONS_STORE = "conversations";
  public static final String ALIASES_STORE = "aliases";
  public static final String HOPS_STORE = "hops";
  public static final String AGGREGATES_STORE = "aggregates";
  public static final String INCIDENTS_STORE = "incidents";
  public static final String PENDING_FINDINGS_STORE = "pending-findings";
  public static final String UPSTREAM_PROGRESS_STORE = "upstream-progress";

  /** Default interval of both punctuations. */
  public static final Duration DEFAULT_PUNCTUATE_INTERVAL = Duration.ofSeconds(1);

  private final Topics topics;
  private final DetectionConfig cfg;
  private final Duration punctuateInterval;
  private final Serde<SpecificRecord> packetSerde;
  private final Serde<NodeInventory> nodeSerde;
  private final Serde<FlowRecord> flowSerde;
  private final Serde<Alert> alertSerde;

  /** Default topics, settings and Avro single-object serdes. */
  private DetectionStats stats = new DetectionStats();

  /** Where stage 1's cores publish their counters (each task at every wall-clock punctuation). */
  public DetectionTopology stats(DetectionStats stats) {
    this.stats = Objects.requireNonNull(stats, "stats");
    return this;
  }

  public DetectionStats stats() {
    return stats;
  }

  public DetectionTopology() {
    this(Topics.defaults(), DetectionConfig.defaults());
  }

  public DetectionTopology(Topics topics, DetectionConfig cfg) {
    this(
        topics,
        cfg,
        DEFAULT_PUNCTUATE_INTERVAL,
        PacketsRecordSerde.get(),
        AvroSerde.nodeInventory(),
        AvroSerde.flowRecord(),
        AvroSerde.alert());
  }

  public DetectionTopology(
      Topics topics,
      DetectionConfig cfg,
      Duration punctuateInterval,
      Serde<SpecificRecord> packetSerde,
      Serde<NodeInventory> nodeSerde,
      Serde<FlowRecord> flowSerde,
      Serde<Alert> alertSerde) {
    this.topics = Objects.requireNonNull(topics);
    this.cfg = Objects.requireNonNull(cfg);
    if (punctuateInterval.isNegative() || punctuateInterval.isZero()) {
      throw new IllegalArgumentException("punctuate interval must be > 0");
    }
    this.punctuateInterval = punctuateInterval;
    this.packetSerde = packetSerde;
    this.nodeSerde = nodeSerde;
    this.flowSerde = flowSerde;
    this.alertSerde = alertSerde;
  }

  public Topics topics() {
    return topics;
  }

  /** The complete topology. */
  public Topology build() {
    StreamsBuilder b = new StreamsBuilder();
    buildTopology(b);
    return b.build();
  }

  /**
   * Decoded values each stage-1/stage-2 store keeps in memory in front of RocksDB (least recently
   * used beyond this are written back and dropped; everything changed is written back at every
   * commit).
   */
  public static final int STORE_CACHE_ENTRIES = 10_000;

  private boolean inMemoryStores;

  /**
   * Keeps the stage stores in memory instead of RocksDB (still changelogged, restored from the
   * changelogs at start). For tests under {@code TopologyTestDriver}, which commits after every
   * record and then writes and fsyncs a checkpoint file per persistent store; jobs use RocksDB.
   */
  public DetectionTopology inMemoryStores() {
    this.inMemoryStores = true;
    return this;
  }

  private <K, V> StoreBuilder<?> kv(
      String name, Serde<K> keySerde, Codec<V> codec, boolean mutableValues) {
    return inMemoryStores
        ? ObjectCachingStoreBuilder.inMemory(
            name, keySerde, codec, STORE_CACHE_ENTRIES, mutableValues)
        : ObjectCachingStoreBuilder.persistent(
            name, keySerde, codec, STORE_CACHE_ENTRIES, mutableValues);
  }

  /** Adds the detection job to a builder. */
  public void buildTopology(StreamsBuilder b) {
    b.addGlobalStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(NODES_STORE), Serdes.String(), nodeSerde)
            .withLoggingDisabled(),
        topics.nodes(),
        Consumed.with(Serdes.String(), nodeSerde).withName("nodes"),
        NodesUpdater::new);
    b.addStateStore(kv(CONVERSATIONS_STORE, Serdes.String(), Codecs.conversation(), true));
    b.addStateStore(kv(ALIASES_STORE, Serdes.String(), Codecs.string(), false));
    b.addStateStore(kv(HOPS_STORE, Serdes.String(), Codecs.hopInfo(), false));
    b.addStateStore(kv(AGGREGATES_STORE, Serdes.String(), Codecs.aggregate(), true));
    b.addStateStore(kv(INCIDENTS_STORE, Serdes.String(), Codecs.incident(), false));
    b.addStateStore(kv(PENDING_FINDINGS_STORE, Serdes.String(), Codecs.finding(), false));
    b.addStateStore(kv(UPSTREAM_PROGRESS_STORE, Serdes.String(), Codecs.longValue(), false));
    KStream<String, SpecificRecord> packets =
        b.stream(
            topics.packets(),
            Consumed.with(Serdes.String(), packetSerde)
                .withTimestampExtractor(new PacketTimestampExtractor())
                .withName("packets"));
    // kernel drop reasons (drops topic, keyed and partitioned as packets): into the same stage-1
    // task as their conversation's packets; event time of a drop record is its interval's end
    KStream<String, SpecificRecord> drops =
        b.stream(
                topics.drops(),
                Consumed.with(Serdes.String(), AvroSerde.kernelDrop())
                    .withTimestampExtractor(new PacketTimestampExtractor())
                    .withName("drops"))
            .mapValues(v -> (SpecificRecord) v, Named.as("drop-records"));
    KStream<String, SpecificRecord> input = packets.merge(drops, Named.as("packets-and-drops"));
    KStream<String, StageOne> one =
        input.process(
            () -> new FlowDetectorProcessor(cfg, punctuateInterval, stats),
            Named.as("flow-detector"),
            CONVERSATIONS_STORE,
            ALIASES_STORE,
            HOPS_STORE);
    one.filter((k, v) -> v.flow() != null, Named.as("flow-records"))
        .mapValues(StageOne::flow, Named.as("flow-record"))
        .to(topics.flows(), Produced.with(Serdes.String(), flowSerde).withName("flows"));
    KStream<String, Alert> alerts =
        one.filter((k, v) -> v.finding() != null, Named.as("findings"))
            .mapValues(StageOne::finding, Named.as("finding"))
            .repartition(
                Repartitioned.with(Serdes.String(), new CodecSerde<>(Codecs.finding()))
                    .withName("findings")
                    .withStreamPartitioner(new FindingPartitioner()))
            .process(
                () -> new AlertAggregatorProcessor(cfg, punctuateInterval),
                Named.as("alert-aggregator"),
                AGGREGATES_STORE,
                PENDING_FINDINGS_STORE,
                UPSTREAM_PROGRESS_STORE);
    alerts.to(topics.alerts(), Produced.with(Serdes.String(), alertSerde).withName("alerts"));
    // stage 3: alerts by incident (an id derived from each alert's cause) -> incidents
    alerts
        .selectKey((k, a) -> a.getIncidentId(), Named.as("by-incident"))
        .repartition(Repartitioned.with(Serdes.String(), alertSerde).withName("alerts-by-incident"))
        .process(() -> new IncidentProcessor(cfg), Named.as("incidents"), INCIDENTS_STORE)
        .to(
            topics.incidents(),
            Produced.with(Serdes.String(), AvroSerde.incident()).withName("incidents-out"));
    alerts
        .mapValues(EcsAlertJson::toJson, Named.as("ecs"))
        .to(
            topics.alertsEcs(),
            Produced.with(Serdes.String(), Serdes.String()).withName("alerts-ecs"));
  }

  /**
   * Streams properties for this job: exactly-once v2, undecodable records logged, counted and
   * skipped, earliest offsets. Hosts may add or override entries.
   */
  public static Properties config(String bootstrapServers, String applicationId, Path stateDir) {
    return config(KafkaClientSettings.plain(bootstrapServers), applicationId, stateDir);
  }

  /**
   * {@link #config(String, String, Path)} on the cluster of {@code kafka}: its connection settings
   * (security, SASL) at the top level, where Kafka Streams hands them to every internal client
   * (consumers, producers, admin).
   */
  public static Properties config(KafkaClientSettings kafka, String applicationId, Path stateDir) {
    Properties p = new Properties();
    p.putAll(kafka.client());
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        LogAndCountDeserializationHandler.class.getName());
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 16L * 1024 * 1024);
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    // A stage-1 task reads a packets and a drops partition. With task idling on (0, the default),
    // Kafka Streams 4.2 formats a log line with String.format for every empty partition at every
    // readiness check, logged or not: 12 % of the stream thread while the drops partition is empty
    // (JFR of bench detect, docs/performance.md §7.8). Off, a task does not wait for a partition's
    // fetch before taking the other's records: only drop records (joined by conversation over
    // their own interval, whatever their order with packets) could come earlier or later.
    p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
    return p;
  }
}
