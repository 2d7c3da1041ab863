package io.hoptrace.pipeline;

import io.hoptrace.schema.KafkaClientSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads one output topic from the beginning with {@code read_committed} (only what the exactly-once
 * job committed), without a consumer group. Records that cannot be decoded are counted and skipped.
 * Not thread-safe: one reading thread.
 */
public final class TopicTail<V> implements AutoCloseable {
  /** One decoded record. */
  public record Item<V>(String key, V value, int partition, long offset) {}

  private final KafkaConsumer<String, byte[]> consumer;
  private final Function<byte[], V> decoder;
  private final List<TopicPartition> partitions = new ArrayList<>();
  private long undecodable;

  public TopicTail(KafkaClientSettings kafka, String topic, Function<byte[], V> decoder) {
    this.decoder = decoder;
    Map<String, Object> cfg = kafka.client();
    cfg.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    cfg.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    cfg.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    cfg.put(ConsumerConfig.CLIENT_ID_CONFIG, "hoptrace-tail-" + topic);
    this.consumer = new KafkaConsumer<>(cfg, new StringDeserializer(), new ByteArrayDeserializer());
    consumer
        .partitionsFor(topic, Duration.ofSeconds(30))
        .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /**
   * Skips what the topic holds now: reading goes on from its current end, looked up before this
   * returns (a seek to the end is otherwise resolved at some later poll, and records published
   * meanwhile would be skipped too).
   */
  public TopicTail<V> fromEnd() {
    consumer.seekToEnd(partitions);
    for (TopicPartition tp : partitions) {
      consumer.position(tp, Duration.ofSeconds(30));
    }
    return this;
  }

  /** Decoded records available within {@code timeout} (tombstones skipped). */
  public List<Item<V>> poll(Duration timeout) {
    List<Item<V>> out = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r : consumer.poll(timeout)) {
      if (r.value() == null) {
        continue;
      }
      V v;
      try {
        v = decoder.apply(r.value());
      } catch (RuntimeException e) {
        undecodable++;
        continue;
      }
      out.add(new Item<>(r.key(), v, r.partition(), r.offset()));
    }
    return out;
  }

  /** True when this reader's position is at the (committed) end of every partition. */
  public boolean caughtUp() {
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(10));
    for (TopicPartition tp : partitions) {
      if (consumer.position(tp, Duration.ofSeconds(10)) < ends.get(tp)) {
        return false;
      }
    }
    return true;
  }

  /** Reads everything up to the current committed end. */
  public List<Item<V>> readToEnd(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Item<V>> out = new ArrayList<>();
    while (!caughtUp()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "output not read to its end within " + timeout.toSeconds() + " s");
      }
      out.addAll(poll(Duration.ofMillis(100)));
    }
    return out;
  }

  public long undecodable() {
    return undecodable;
  }

  /** Interrupts a blocking {@link #poll} from another thread. */
  public void wakeup() {
    consumer.wakeup();
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(2));
  }
}
