package io.hoptrace.flink;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Where the nodes topic ended when the job started: the offset of the last record of each
 * partition, as the job's nodes source reads them (uncommitted records included, control records of
 * transactions not). Stage 1 judges no packet before it has read that far ({@link InventoryFirst}),
 * as a Kafka Streams instance restores its global nodes store up to the end offsets before it
 * processes anything.
 *
 * <p>The last record, not the end offset: the end offset of a partition written by a transactional
 * producer is past a commit marker the source never hands on. A compacted topic keeps every key's
 * last record, so the record found here is still read, or a later one of its key.
 *
 * @param lastOffsets the offset of the last record by partition; partitions without records left
 *     out
 */
public record InventoryEnd(HashMap<Integer, Long> lastOffsets) implements Serializable {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  public InventoryEnd {
    lastOffsets = new HashMap<>(lastOffsets);
  }

  /** Nothing to wait for (an empty topic, or a test that sends the inventory first). */
  public static InventoryEnd none() {
    return new InventoryEnd(new HashMap<>());
  }

  /**
   * Reads it with a consumer of its own (no group).
   *
   * @param kafka further client properties (security), as the job's sources get them
   * @throws IllegalStateException when the topic cannot be read within 60 s
   */
  public static InventoryEnd read(
      String bootstrapServers, Map<String, String> kafka, String topic) {
    Properties p = new Properties();
    p.putAll(kafka);
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "hoptrace-flink-nodes-end");
    p.remove(ConsumerConfig.GROUP_ID_CONFIG);
    p.remove("isolation.level"); // as the nodes source reads
    HashMap<Integer, Long> last = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      for (PartitionInfo i : c.partitionsFor(topic, TIMEOUT)) {
        parts.add(new TopicPartition(topic, i.partition()));
      }
      Map<TopicPartition, Long> begin = c.beginningOffsets(parts, TIMEOUT);
      Map<TopicPartition, Long> end = c.endOffsets(parts, TIMEOUT);
      c.assign(parts);
      for (TopicPartition tp : parts) {
        long found = lastRecord(c, tp, begin.get(tp), end.get(tp));
        if (found >= 0) {
          last.put(tp.partition(), found);
        }
      }
    }
    return new InventoryEnd(last);
  }

  /**
   * The offset of the last record in [begin, end) of {@code tp}, -1 if none: reads back from the
   * end, a window growing 16-fold while it finds only control records.
   */
  private static long lastRecord(
      KafkaConsumer<byte[], byte[]> c, TopicPartition tp, long begin, long end) {
    c.pause(c.assignment());
    c.resume(List.of(tp));
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    for (long window = 1; ; window *= 16) {
      long from = Math.max(begin, end - window);
      c.seek(tp, from);
      long found = -1;
      while (c.position(tp, TIMEOUT) < end) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "cannot read "
                  + tp
                  + " up to offset "
                  + end
                  + " within "
                  + TIMEOUT.toSeconds()
                  + " s");
        }
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200)).records(tp)) {
          if (r.offset() < end) {
            found = Math.max(found, r.offset());
          }
        }
      }
      if (found >= 0 || from == begin) {
        return found;
      }
    }
  }

  /** Whether {@code read} (the largest offset read, by partition) reached every last record. */
  public boolean reachedBy(Map<Integer, Long> read) {
    for (Map.Entry<Integer, Long> e : lastOffsets.entrySet()) {
      Long at = read.get(e.getKey());
      if (at == null || at < e.getValue()) {
        return false;
      }
    }
    return true;
  }
}
