package io.hoptrace.flink;

import io.hoptrace.schema.AvroSerde;
import io.hoptrace.schema.KafkaClientSettings;
import io.hoptrace.schema.NodeInventory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Records that change nothing, sent while the host waits for the job's sources to commit: a Flink
 * Kafka source commits a checkpoint's offsets on its fetcher thread, which waits in a poll of up to
 * 10 s while its partition is idle; a new record ends that poll. On packets a record with no value
 * (both engines skip it), on nodes the same inventories again or the tombstone of a node that is
 * not there (a compacted topic needs keys; neither changes any state).
 */
final class Nudges implements AutoCloseable {
  private final KafkaProducer<byte[], byte[]> producer;
  private final AvroSerde<NodeInventory> nodes = AvroSerde.nodeInventory();

  Nudges(KafkaClientSettings kafka) {
    Map<String, Object> cfg = kafka.client();
    cfg.put(ProducerConfig.CLIENT_ID_CONFIG, "hoptrace-flink-nudge");
    cfg.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    producer = new KafkaProducer<>(cfg, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** One empty record on each of {@code partitions} partitions of {@code topic}. */
  void empty(String topic, int partitions) {
    byte[] key = new byte[0];
    for (int p = 0; p < partitions; p++) {
      producer.send(new ProducerRecord<>(topic, p, key, null));
    }
    producer.flush();
  }

  /** A tombstone of a node that is not there, on every partition of the nodes {@code topic}. */
  void tombstone(String topic) {
    byte[] key = "hoptrace-nudge".getBytes(StandardCharsets.UTF_8);
    for (org.apache.kafka.common.PartitionInfo p : producer.partitionsFor(topic)) {
      producer.send(new ProducerRecord<>(topic, p.partition(), key, null));
    }
    producer.flush();
  }

  /** The inventories again. */
  void inventories(String topic, List<NodeInventory> inventories) {
    for (NodeInventory n : inventories) {
      producer.send(
          new ProducerRecord<>(
              topic, n.getNode().getBytes(StandardCharsets.UTF_8), nodes.encode(n)));
    }
    producer.flush();
  }

  @Override
  public void close() {
    producer.close();
  }
}
