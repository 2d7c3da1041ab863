package io.hoptrace.history;

import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AvroSerde;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.Incident;
import io.hoptrace.schema.KafkaClientSettings;
import io.hoptrace.schema.Topics;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store writer: a {@code read_committed} consumer of the {@code flows}, {@code alerts} and
 * {@code incidents} topics (every partition assigned, group {@code <prefix>history} for the
 * committed offsets) that appends their records to the store through {@link StoreFiles}, a batch at
 * a time ({@link StoreConfig}: N records or T seconds). Offsets are committed to Kafka only once
 * the batch's files are durable and published; on start it finishes what a crashed writer left. So
 * a crash (kill -9 included) loses nothing, shows no half-written file and duplicates no row: each
 * batch is either read again whole or visible exactly once. Offsets of a commit made against
 * another Kafka cluster (a new embedded broker) are not applied.
 */
public final class StoreWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StoreWriter.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final long RETENTION_CHECK_NANOS = TimeUnit.MINUTES.toNanos(10);
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);

  /**
   * Hour partitions merged ({@link StoreFiles#compact}) per retention check, every 10 minutes: one
   * takes seconds (417 k flows: ~5 s on a loaded 2-core machine) during which the writer does not
   * read, so a store written before compaction existed is caught up a few hours at a time.
   */
  private static final int COMPACT_PER_CHECK = 3;

  private final StoreFiles files;
  private final StoreConfig config;
  private final Topics topics;
  private final KafkaClientSettings kafka;
  private final String clusterId;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<TopicPartition> partitions;
  private final AvroSerde<FlowRecord> flowSerde = AvroSerde.flowRecord();
  private final AvroSerde<Alert> alertSerde = AvroSerde.alert();
  private final AvroSerde<Incident> incidentSerde = AvroSerde.incident();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong undecodable = new AtomicLong();
  private final Thread thread = new Thread(this::loop, "hoptrace-store-writer");
  private volatile Map<TopicPartition, Long> stopAt;
  private volatile long stopDeadline = Long.MAX_VALUE;
  private volatile Throwable failure;
  private long batchStart;
  private long lastRetention;

  private StoreWriter(
      StoreFiles files, KafkaClientSettings kafka, Topics topics, StoreConfig config) {
    this.files = files;
    this.config = config;
    this.topics = topics;
    this.kafka = kafka;
    this.clusterId = clusterId(kafka);
    this.consumer = consumer(kafka, topics);
    this.partitions = List.copyOf(consumer.assignment());
    thread.setDaemon(true);
  }

  /**
   * Opens the store, finishes what a crashed writer left, applies the retention (and merges settled
   * hours, {@link StoreFiles#compact}), and starts writing on a thread of its own.
   *
   * @throws IllegalStateException when another writer holds the store, Kafka cannot be reached or
   *     the topics do not exist
   */
  public static StoreWriter start(Path store, String bootstrap, Topics topics, StoreConfig config)
      throws IOException {
    return start(store, KafkaClientSettings.plain(bootstrap), topics, config);
  }

  /** {@link #start(Path, String, Topics, StoreConfig)} with {@code kafka}'s connection settings. */
  public static StoreWriter start(
      Path store, KafkaClientSettings kafka, Topics topics, StoreConfig config) throws IOException {
    StoreFiles files = StoreFiles.open(store);
    StoreWriter w;
    try {
      w = new StoreWriter(files, kafka, topics, config);
    } catch (RuntimeException e) {
      files.close();
      throw e;
    }
    try {
      files.recover(w::commitOffsets);
      w.applyRetention();
    } catch (SQLException e) {
      w.release();
      throw new IOException("store " + store + ": " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      w.release();
      throw e;
    }
    w.thread.start();
    return w;
  }

  private static String clusterId(KafkaClientSettings kafka) {
    try (Admin a = Admin.create(kafka.client())) {
      return a.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "cannot reach Kafka at " + kafka.bootstrapServers() + ": " + e, e);
    }
  }

  private static KafkaConsumer<byte[], byte[]> consumer(KafkaClientSettings kafka, Topics topics) {
    Map<String, Object> cfg = kafka.client();
    cfg.put(ConsumerConfig.GROUP_ID_CONFIG, topics.prefix() + "history");
    cfg.put(ConsumerConfig.CLIENT_ID_CONFIG, topics.prefix() + "history");
    cfg.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    cfg.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    cfg.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(cfg, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> parts = new ArrayList<>();
    for (String t : List.of(topics.flows(), topics.alerts(), topics.incidents())) {
      List<PartitionInfo> infos = c.partitionsFor(t, Duration.ofSeconds(30));
      if (infos == null || infos.isEmpty()) {
        c.close();
        throw new IllegalStateException(
            "topic " + t + " does not exist on " + kafka.bootstrapServers());
      }
      infos.forEach(i -> parts.add(new TopicPartition(t, i.partition())));
    }
    c.assign(parts);
    return c;
  }

  /** Commits offsets read from this cluster (those of another cluster mean nothing here). */
  private void commitOffsets(String cluster, Map<TopicPartition, Long> offsets) {
    if (!cluster.equals(clusterId)) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> m = new HashMap<>();
    offsets.forEach(
        (tp, o) -> {
          if (partitions.contains(tp)) {
            m.put(tp, new OffsetAndMetadata(o));
          }
        });
    if (!m.isEmpty()) {
      consumer.commitSync(m, Duration.ofSeconds(30));
    }
  }

  private void loop() {
    try {
      lastRetention = System.nanoTime();
      while (true) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
          add(r);
        }
        long now = System.nanoTime();
        int pending = files.pending();
        if (pending >= config.batchRecords()
            || (pending > 0 && now - batchStart >= config.batchNanos())) {
          flush();
        }
        if (now - lastRetention >= RETENTION_CHECK_NANOS) {
          applyRetention();
        }
        Map<TopicPartition, Long> stop = stopAt;
        if (stop != null && (reached(stop) || now >= stopDeadline)) {
          flush();
          return;
        }
      }
    } catch (Throwable t) {
      failure = t;
      LOG.error("store writer failed: {}", t.toString(), t);
    }
  }

  private boolean reached(Map<TopicPartition, Long> ends) {
    for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private void add(ConsumerRecord<byte[], byte[]> r) throws SQLException {
    if (r.value() == null) {
      return;
    }
    if (files.pending() == 0) {
      batchStart = System.nanoTime();
    }
    try {
      if (r.topic().equals(topics.flows())) {
        files.add(flowSerde.decode(r.topic(), r.value()));
      } else if (r.topic().equals(topics.alerts())) {
        files.add(alertSerde.decode(r.topic(), r.value()));
      } else {
        files.add(incidentSerde.decode(r.topic(), r.value()));
      }
    } catch (SerializationException e) {
      undecodable.incrementAndGet();
    }
  }

  private void flush() throws IOException, SQLException {
    Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
    for (TopicPartition tp : partitions) {
      offsets.put(tp, consumer.position(tp));
    }
    int records = files.pending();
    published.addAndGet(files.flush(clusterId, offsets, this::commitOffsets));
    written.addAndGet(records);
  }

  private void applyRetention() throws IOException, SQLException {
    lastRetention = System.nanoTime();
    int days = config.retentionDays();
    if (days > 0) {
      int n = files.dropOlderThan(days, System.currentTimeMillis());
      if (n > 0) {
        LOG.info("store {}: removed {} hour partition(s) older than {} day(s)", store(), n, days);
      }
    }
    int merged = files.compact(System.currentTimeMillis(), COMPACT_PER_CHECK);
    if (merged > 0) {
      LOG.info("store {}: merged the files of {} hour partition(s)", store(), merged);
    }
  }

  /** Records written to the store so far. */
  public long written() {
    return written.get();
  }

  /** Parquet files published so far. */
  public long files() {
    return published.get();
  }

  /** Records that could not be decoded (skipped). */
  public long undecodable() {
    return undecodable.get();
  }

  /** The store directory. */
  public Path store() {
    return files.layout().root();
  }

  /**
   * Reads up to the topics' committed ends as of now (at most a minute), writes what it holds, and
   * stops.
   *
   * @throws IllegalStateException when the writer failed (with its cause)
   */
  @Override
  public void close() {
    if (thread.isAlive()) {
      Map<TopicPartition, Long> ends = Map.of();
      try {
        ends = committedEnds();
      } catch (RuntimeException e) {
        LOG.warn("store writer: cannot read the topics' ends: {}", e.toString());
      }
      stopDeadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
      stopAt = ends;
      try {
        thread.join(DRAIN_TIMEOUT.toMillis() + 30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    release();
    if (failure != null) {
      throw new IllegalStateException("store writer failed: " + failure.getMessage(), failure);
    }
  }

  /** The last stable offsets (the read_committed ends) of the topics read. */
  private Map<TopicPartition, Long> committedEnds() {
    try (Admin a = Admin.create(kafka.client())) {
      Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
      partitions.forEach(tp -> specs.put(tp, OffsetSpec.latest()));
      Map<TopicPartition, Long> out = new HashMap<>();
      a.listOffsets(specs, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
          .all()
          .get(30, TimeUnit.SECONDS)
          .forEach((tp, info) -> out.put(tp, info.offset()));
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot list offsets: " + e, e);
    }
  }

  private void release() {
    try {
      consumer.close(Duration.ofSeconds(2));
    } catch (RuntimeException e) {
      LOG.debug("closing the consumer: {}", e.toString());
    }
    try {
      files.close();
    } catch (IOException e) {
      LOG.warn("closing the store: {}", e.toString());
    }
  }
}
