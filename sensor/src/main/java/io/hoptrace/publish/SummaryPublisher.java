package io.hoptrace.publish;

import io.hoptrace.metrics.SensorMetrics;
import io.hoptrace.schema.AvroSerde;
import io.hoptrace.schema.FlowHopCounters;
import io.hoptrace.schema.KernelDrop;
import io.hoptrace.schema.NodeInventory;
import io.hoptrace.schema.PacketSummary;
import io.hoptrace.schema.PacketsRecordSerde;
import io.hoptrace.schema.TopicSettings;
import io.hoptrace.schema.Topics;
import io.hoptrace.spool.Spool;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes packet summaries to the packets topic, keyed by the canonical flow key so every hop of
 * a flow lands in one partition, and node inventories to the compacted nodes topic, keyed by node
 * name. Values are Avro single-object encoded ({@link AvroSerde}).
 *
 * <p>Sends are asynchronous; a callback counts acknowledged and failed summaries ({@link
 * SensorMetrics}, {@link #sent()}, {@link #failed()}). A broker outage never stalls the caller for
 * long and never throws per packet: a send waits at most {@code max.block.ms}, after such a timeout
 * summaries are dropped and counted for {@code outage.backoff.ms}, and failures are logged at most
 * once per {@code failure.log.interval.ms}. One publisher may be shared by several threads.
 *
 * <p>With a {@link Spool} ({@code --spool-dir}) every record goes to the spool instead and a {@link
 * SpoolSender} sends it from there, in order and exactly once, when the broker is there: an outage
 * costs nothing until the spool is full (then the newest records are dropped and counted).
 */
public final class SummaryPublisher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SummaryPublisher.class);

  private final PublisherConfig config;
  private final Topics topics;
  private final SensorMetrics metrics;
  private final Producer<String, byte[]> producer;
  private final Spool spool;
  private final SpoolSender spoolSender;
  private final PacketsRecordSerde records = PacketsRecordSerde.get();
  private final AvroSerde<NodeInventory> inventories = AvroSerde.nodeInventory();
  private final AvroSerde<KernelDrop> drops = AvroSerde.kernelDrop();
  private final LongSupplier nanoClock;
  private final long backoffNanos;
  private final FailureLog failureLog;
  private final FailureLog dropFailureLog;
  private final LongAdder sent = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder inventoriesSent = new LongAdder();
  private final LongAdder countersSent = new LongAdder();
  private final LongAdder dropsSent = new LongAdder();
  private final LongAdder dropsFailed = new LongAdder();
  private final Callback summaryCallback = (m, e) -> onCompletion(m, e, false);
  private final Callback countersCallback = (m, e) -> onCompletion(m, e, true);
  private volatile long suspendedUntil;
  private volatile boolean closed;

  /**
   * Connects to Kafka and, when {@code topic.create} is set, creates the packets and nodes topics
   * if they are missing (waiting at most {@code admin.timeout.ms}; a broker that cannot be reached
   * then is logged, not thrown: sends are counted as failed until it comes).
   */
  public SummaryPublisher(PublisherConfig config, SensorMetrics metrics) {
    this(
        config,
        metrics,
        new KafkaProducer<>(
            config.producerProperties(), new StringSerializer(), new ByteArraySerializer()),
        System::nanoTime);
    if (config.createTopics()) {
      ensureTopics(config);
    }
  }

  /**
   * Publishes through {@code spool} (opened by the caller; closed with this publisher): records are
   * appended to it and sent from it by a {@link SpoolSender}; topics are created as above. Its
   * state is in the metrics ({@link SensorMetrics#bindSpool}).
   */
  public SummaryPublisher(PublisherConfig config, SensorMetrics metrics, Spool spool) {
    this(config, metrics, null, System::nanoTime, Objects.requireNonNull(spool, "spool"));
    if (config.createTopics()) {
      ensureTopics(config);
    }
    metrics.bindSpool(spool);
    spoolSender.start();
  }

  /** For tests: an own producer (e.g. a MockProducer) and clock; creates no topics. */
  SummaryPublisher(
      PublisherConfig config,
      SensorMetrics metrics,
      Producer<String, byte[]> producer,
      LongSupplier nanoClock) {
    this(config, metrics, Objects.requireNonNull(producer, "producer"), nanoClock, null);
  }

  private SummaryPublisher(
      PublisherConfig config,
      SensorMetrics metrics,
      Producer<String, byte[]> producer,
      LongSupplier nanoClock,
      Spool spool) {
    this.config = Objects.requireNonNull(config, "config");
    this.topics = config.topics();
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.producer = producer;
    this.spool = spool;
    this.spoolSender = spool == null ? null : new SpoolSender(spool, config, this::onSpoolAcked);
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    this.backoffNanos = TimeUnit.MILLISECONDS.toNanos(config.outageBackoffMs());
    this.failureLog =
        new FailureLog(LOG, "packet summary sends", config.failureLogIntervalMs(), nanoClock);
    this.dropFailureLog =
        new FailureLog(LOG, "kernel drop record sends", config.failureLogIntervalMs(), nanoClock);
  }

  private long valueBytes;

  /**
   * Sends one summary keyed by {@code key} (the canonical flow key; null spreads keyless summaries
   * over partitions). Returns at once, or after at most {@code max.block.ms} when the producer's
   * buffer is full or the broker unknown; failures are counted, never thrown.
   */
  public void publish(String key, PacketSummary summary) {
    send(key, summary, summaryCallback);
  }

  /**
   * Sends one counters record of the sensor's reducer (reduced mode) keyed by {@code key}, the key
   * its flow's summaries are published under; as {@link #publish(String, PacketSummary)} otherwise.
   */
  public void publishCounters(String key, FlowHopCounters counters) {
    send(key, counters, countersCallback);
  }

  private void send(String key, SpecificRecord record, Callback callback) {
    if (spool != null) {
      spooled(
          callback == countersCallback ? SpoolSender.COUNTERS : SpoolSender.SUMMARY, key, record);
      return;
    }
    if (suspendedUntil != 0) {
      if (nanoClock.getAsLong() - suspendedUntil < 0) {
        countFailed(null);
        return;
      }
      suspendedUntil = 0;
    }
    byte[] value;
    try {
      value = records.encode(record);
    } catch (KafkaException e) {
      countFailed(e);
      return;
    }
    valueBytes += value.length;
    Future<RecordMetadata> result;
    try {
      result = producer.send(new ProducerRecord<>(topics.packets(), key, value), callback);
    } catch (TimeoutException e) {
      suspend();
      countFailed(e);
      return;
    } catch (KafkaException | IllegalStateException e) {
      countFailed(e);
      return;
    }
    if (result.isDone() && timedOut(result)) {
      // send() waited max.block.ms for metadata or buffer space and failed through the callback
      // (counted there): the broker is unreachable or too slow, drop without waiting for a while
      suspend();
    }
  }

  private void suspend() {
    long until = nanoClock.getAsLong() + backoffNanos;
    suspendedUntil = until == 0 ? 1 : until;
  }

  private static boolean timedOut(Future<RecordMetadata> done) {
    try {
      done.get();
      return false;
    } catch (ExecutionException e) {
      return e.getCause() instanceof TimeoutException;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Bytes of encoded summary values handed to the producer so far (for the mean record size in
   * throughput reports). Read by the publishing thread.
   */
  public long valueBytes() {
    return valueBytes;
  }

  /** Sends one summary keyed by its own {@code flowKey}. */
  public void publish(PacketSummary summary) {
    publish(summary.getFlowKey(), summary);
  }

  /**
   * Sends a node's inventory to the compacted nodes topic, keyed by node name. Failures are logged
   * (inventories are rare), not thrown.
   */
  public void publishInventory(NodeInventory inventory) {
    String node = inventory.getNode();
    if (spool != null) {
      spooled(SpoolSender.INVENTORY, node, inventory);
      return;
    }
    try {
      producer.send(
          new ProducerRecord<>(topics.nodes(), node, inventories.encode(inventory)),
          (metadata, error) -> {
            if (error == null) {
              inventoriesSent.increment();
            } else {
              LOG.warn("inventory of node {} not sent: {}", node, error.toString());
            }
          });
    } catch (KafkaException | IllegalStateException e) {
      LOG.warn("inventory of node {} not sent: {}", node, e.toString());
    }
  }

  /**
   * Sends a kernel drop record to the drops topic keyed by its flow key (as the flow's summaries
   * are on packets: same partition). Failures are counted ({@link #dropsFailed()}) and logged at
   * most once per failure-log interval, never thrown.
   */
  public void publishDrop(KernelDrop drop) {
    if (spool != null) {
      spooled(SpoolSender.DROP, drop.getFlowKey(), drop);
      return;
    }
    try {
      producer.send(
          new ProducerRecord<>(topics.drops(), drop.getFlowKey(), drops.encode(drop)),
          (metadata, error) -> {
            if (error == null) {
              dropsSent.increment();
            } else {
              dropsFailed.increment();
              dropFailureLog.failed(1, error);
            }
          });
    } catch (KafkaException | IllegalStateException e) {
      dropsFailed.increment();
      dropFailureLog.failed(1, e);
    }
  }

  /** Kernel drop records acknowledged by Kafka so far. */
  public long dropsSent() {
    return dropsSent.sum();
  }

  /** Kernel drop records that could not be sent. */
  public long dropsFailed() {
    return dropsFailed.sum();
  }

  /**
   * Waits until everything published so far is acknowledged or failed; with a spool, until it is
   * empty or nothing could be sent for {@value #SPOOL_IDLE_MS} ms (what is left stays spooled).
   */
  public void flush() {
    if (closed) {
      return;
    }
    if (spoolSender == null) {
      producer.flush();
    } else if (!spoolSender.awaitDrained(SPOOL_IDLE_MS)) {
      LOG.warn(
          "{} records ({} bytes) stay in the spool {} for the next sensor",
          spool.records(),
          spool.bytes(),
          spool.dir());
    }
  }

  /** How long {@link #flush()} waits for a spool that makes no progress. */
  static final long SPOOL_IDLE_MS = 10_000;

  /** The spool, or null when records go to the producer directly. */
  public Spool spool() {
    return spool;
  }

  /** Appends a record to the spool; one the full spool drops is counted as failed. */
  private void spooled(byte kind, String key, SpecificRecord record) {
    byte[] value;
    try {
      value =
          switch (kind) {
            case SpoolSender.INVENTORY -> inventories.encode((NodeInventory) record);
            case SpoolSender.DROP -> drops.encode((KernelDrop) record);
            default -> records.encode(record);
          };
    } catch (KafkaException e) {
      countSpoolFailed(kind, e);
      return;
    }
    if (kind <= SpoolSender.COUNTERS) {
      valueBytes += value.length;
    }
    try {
      if (!spool.append(kind, key, value)) {
        countSpoolFailed(kind, null);
      }
    } catch (UncheckedIOException e) {
      countSpoolFailed(kind, e); // e.g. the disk is full: counted, the capture goes on
    }
  }

  private void countSpoolFailed(byte kind, Exception error) {
    switch (kind) {
      case SpoolSender.INVENTORY ->
          LOG.warn("inventory not spooled: {}", error == null ? "spool full" : error);
      case SpoolSender.DROP -> dropsFailed.increment();
      default -> countFailed(error);
    }
  }

  private void onSpoolAcked(byte kind, long n) {
    switch (kind) {
      case SpoolSender.SUMMARY -> {
        sent.add(n);
        metrics.sent("summary", n);
      }
      case SpoolSender.COUNTERS -> {
        sent.add(n);
        countersSent.add(n);
        metrics.sent("counters", n);
      }
      case SpoolSender.INVENTORY -> inventoriesSent.add(n);
      default -> dropsSent.add(n);
    }
  }

  /** Records (summaries and counters) acknowledged by Kafka so far. */
  public long sent() {
    return sent.sum();
  }

  /** Counters records acknowledged by Kafka so far (the rest of {@link #sent()} are summaries). */
  public long countersSent() {
    return countersSent.sum();
  }

  /** Summaries that could not be sent so far (encoding, timeouts, broker errors, outage). */
  public long failed() {
    return failed.sum();
  }

  /** Inventories acknowledged by Kafka so far. */
  public long inventoriesSent() {
    return inventoriesSent.sum();
  }

  public Topics topics() {
    return topics;
  }

  public PublisherConfig config() {
    return config;
  }

  /** Sends what is buffered (waiting at most {@code delivery.timeout.ms}) and disconnects. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (spoolSender != null) {
      spoolSender.close();
      spool.close();
    } else {
      producer.close(Duration.ofMillis(config.getInt(PublisherConfig.DELIVERY_TIMEOUT_MS)));
    }
    LOG.info(
        "publisher closed: {} records sent ({} counters), {} failed",
        sent(),
        countersSent(),
        failed());
  }

  private void onCompletion(RecordMetadata metadata, Exception error, boolean counters) {
    if (error == null) {
      sent.increment();
      if (counters) {
        countersSent.increment();
        metrics.sent("counters");
      } else {
        metrics.sent("summary");
      }
    } else {
      countFailed(error);
    }
  }

  private void countFailed(Exception error) {
    failed.increment();
    metrics.sendFailed();
    if (error != null) {
      failureLog.failed(1, error);
    }
  }

  private static void ensureTopics(PublisherConfig config) {
    // as the detection job creates them (one place decides: TopicSettings)
    TopicCreation.ensure(
        config.adminProperties(),
        TopicSettings.sensorTopics(
            config.topics(), config.packetsPartitions(), config.replicationFactor()),
        config.adminTimeoutMs());
  }
}
