package io.hoptrace.publish;

import io.hoptrace.schema.Topics;
import io.hoptrace.spool.Spool;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a {@link Spool} to Kafka, in order, exactly once (docs/reliability.md, "Broker outages and
 * the spool"). One thread reads a batch from the spool and sends it in one Kafka transaction that
 * also commits the spool position after the batch, as the offset of partition 0 of the packets
 * topic for the consumer group {@code hoptrace-spool-<spool id>} (the transactional id is the same
 * name). Only when the transaction is committed is the position written to the spool and the batch
 * deleted there.
 *
 * <p>Why this is exactly once: a batch is visible to {@code read_committed} readers only with its
 * commit, and the commit carries the position, so "in the topic" and "past the position in Kafka"
 * are one fact. Whatever fails — the broker killed mid-batch, a delivery or commit that times out,
 * the coordinator aborting a transaction that outlived {@code transaction.timeout.ms}, the sensor
 * killed — the sender drops its producer and starts a new one with the same transactional id:
 * {@code initTransactions} aborts (or completes) the transaction left open, then the sender reads
 * the position committed in Kafka and goes on from there (a commit that succeeded but whose reply
 * was lost is thus not sent again; an aborted batch is sent again and its first copy is never
 * visible). A producer's own retries are idempotent. The position written in the spool can only lag
 * Kafka's, never lead it.
 */
final class SpoolSender implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SpoolSender.class);

  /** Kinds of spooled records (the byte before the key). */
  static final byte SUMMARY = 0;

  static final byte COUNTERS = 1;
  static final byte INVENTORY = 2;
  static final byte DROP = 3;

  /** A transaction holds at most this many records or bytes. */
  static final int MAX_RECORDS = 20_000;

  static final long MAX_BYTES = 4L << 20;

  /** Transactions are at most this frequent (small ones cost a commit each). */
  static final long LINGER_MS = 100;

  /** The producer's longest wait for the broker (it runs on this sender's thread only). */
  static final long MAX_BLOCK_MS = 5_000;

  /** Records of a committed batch, by kind. */
  interface Acks {
    void acked(byte kind, long count);
  }

  private final Spool spool;
  private final Topics topics;
  private final Map<String, Object> producerProps;
  private final String name;
  private final TopicPartition positionPartition;
  private final Admin admin;
  private final Acks acks;
  private final FailureLog failures;
  private final FailureLog connects;
  private final Thread thread;
  private KafkaProducer<String, byte[]> producer;
  private boolean ready;
  private volatile boolean stopped;
  private volatile long lastProgressNanos = System.nanoTime();

  SpoolSender(Spool spool, PublisherConfig config, Acks acks) {
    this.spool = Objects.requireNonNull(spool, "spool");
    this.topics = config.topics();
    this.acks = Objects.requireNonNull(acks, "acks");
    this.name = "hoptrace-spool-" + spool.id();
    this.positionPartition = new TopicPartition(topics.packets(), 0);
    Map<String, Object> p = new HashMap<>(config.producerProperties());
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, name);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, MAX_BLOCK_MS);
    this.producerProps = p;
    this.admin = Admin.create(config.adminProperties());
    this.failures =
        new FailureLog(LOG, "spool batch sends", config.failureLogIntervalMs(), System::nanoTime);
    this.connects =
        new FailureLog(
            LOG, "spool sender connections", config.failureLogIntervalMs(), System::nanoTime);
    this.thread = new Thread(this::run, "hoptrace-spool-sender");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private void run() {
    long lastTxn = 0;
    long lastSync = System.nanoTime();
    while (!stopped) {
      Spool.Batch batch = null;
      try {
        if (System.nanoTime() - lastSync > TimeUnit.SECONDS.toNanos(1)) {
          spool.sync();
          lastSync = System.nanoTime();
        }
        if (!ready) {
          connect();
          continue;
        }
        long wait = LINGER_MS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastTxn);
        if (wait > 0) {
          Thread.sleep(wait);
        }
        batch = spool.read(MAX_RECORDS, MAX_BYTES);
        if (batch.isEmpty()) {
          lastProgressNanos = System.nanoTime();
          Thread.sleep(20);
          continue;
        }
        lastTxn = System.nanoTime();
        send(batch);
        acked(batch); // before the commit: who sees the spool empty sees the counts
        spool.commit(batch.end());
        lastProgressNanos = System.nanoTime();
      } catch (InterruptedException | InterruptException e) {
        if (batch != null) {
          spool.rewind(batch.start());
        }
        if (stopped) {
          break;
        }
      } catch (KafkaException e) {
        if (batch == null) {
          connects.failed(1, e);
        } else {
          failures.failed(1, e);
          spool.rewind(batch.start());
        }
        dropProducer();
        pause(500);
      } catch (RuntimeException e) {
        // the spool's files (e.g. a disk error): logged, tried again, the thread never dies of it
        failures.failed(1, e);
        if (batch != null) {
          spool.rewind(batch.start());
        }
        pause(1000);
      }
    }
  }

  /** A producer with the spool's transactional id, ready, and the read position Kafka's. */
  private void connect() {
    if (producer == null) {
      producer =
          new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer());
    }
    try {
      producer.initTransactions(); // aborts (or completes) what a previous sender left open
    } catch (TimeoutException e) {
      connects.failed(1, e);
      return; // the broker is away: initTransactions may be called again
    }
    long inKafka;
    try {
      OffsetAndMetadata o =
          admin
              .listConsumerGroupOffsets(
                  name, new ListConsumerGroupOffsetsOptions().requireStable(true))
              .partitionsToOffsetAndMetadata()
              .get(MAX_BLOCK_MS, TimeUnit.MILLISECONDS)
              .get(positionPartition);
      inKafka = o == null ? -1 : o.offset();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      connects.failed(1, e);
      dropProducer();
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptException(e);
    }
    Spool.Position local = spool.committed();
    spool.rewind(local);
    long skipped = 0;
    while (spool.committed().index() < inKafka) {
      // committed in Kafka, but the reply was lost or the sender stopped before the spool knew
      Spool.Batch b =
          spool.read((int) Math.min(MAX_RECORDS, inKafka - spool.committed().index()), MAX_BYTES);
      if (b.isEmpty()) {
        break;
      }
      acked(b);
      spool.commit(b.end());
      skipped += b.entries().size();
    }
    if (skipped > 0) {
      LOG.info("spool {}: {} records were in Kafka already", spool.dir(), skipped);
    }
    ready = true;
    LOG.info("spool {}: sending from record {}", spool.dir(), spool.committed().index());
  }

  private void send(Spool.Batch batch) {
    producer.beginTransaction();
    for (Spool.Entry e : batch.entries()) {
      producer.send(new ProducerRecord<>(topicOf(e.kind()), e.key(), e.value()));
    }
    producer.sendOffsetsToTransaction(
        Map.of(positionPartition, new OffsetAndMetadata(batch.end().index())),
        new ConsumerGroupMetadata(name));
    for (int attempt = 1; ; attempt++) {
      try {
        producer.commitTransaction();
        return;
      } catch (TimeoutException e) {
        // retrying the commit is allowed; the first one can wait for the broker to make its
        // transaction and offsets topics. Past that, a new producer (connect) finds out
        if (attempt == COMMIT_ATTEMPTS || stopped) {
          throw e;
        }
      }
    }
  }

  /** A commit that timed out is tried again this many times in all before the producer goes. */
  static final int COMMIT_ATTEMPTS = 3;

  private String topicOf(byte kind) {
    return switch (kind) {
      case SUMMARY, COUNTERS -> topics.packets();
      case INVENTORY -> topics.nodes();
      case DROP -> topics.drops();
      default -> throw new KafkaException("unknown spooled record kind " + kind);
    };
  }

  private void acked(Spool.Batch batch) {
    long[] byKind = new long[4];
    for (Spool.Entry e : batch.entries()) {
      byKind[e.kind()]++;
    }
    for (byte k = 0; k < byKind.length; k++) {
      if (byKind[k] > 0) {
        acks.acked(k, byKind[k]);
      }
    }
  }

  private void dropProducer() {
    ready = false;
    if (producer != null) {
      try {
        producer.close(Duration.ZERO);
      } catch (KafkaException e) {
        LOG.debug("closing the spool's producer: {}", e.toString());
      }
      producer = null;
    }
  }

  private void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Waits until the spool is empty, or until nothing was sent for {@code idleMillis} (the broker is
   * away: what is left stays spooled for the next sensor).
   *
   * @return whether the spool is empty
   */
  boolean awaitDrained(long idleMillis) {
    long idle = TimeUnit.MILLISECONDS.toNanos(idleMillis);
    lastProgressNanos = System.nanoTime();
    while (spool.records() > 0 && thread.isAlive()) {
      if (System.nanoTime() - lastProgressNanos > idle) {
        return false;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return spool.records() == 0;
  }

  /** Stops sending (an open transaction is left to the next sender to abort) and disconnects. */
  @Override
  public void close() {
    // no interrupt: it would close the spool's files under the thread (interruptible channels)
    stopped = true;
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    dropProducer();
    admin.close(Duration.ofSeconds(1));
  }
}
