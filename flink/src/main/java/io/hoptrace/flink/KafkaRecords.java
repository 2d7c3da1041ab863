package io.hoptrace.flink;

import io.hoptrace.schema.AvroSerde;
import io.hoptrace.schema.AvroTrust;
import io.hoptrace.schema.KernelDrop;
import io.hoptrace.schema.NodeInventory;
import io.hoptrace.schema.PacketsRecordCodec;
import io.hoptrace.schema.PacketsRecordSerde;
import io.hoptrace.schema.UnknownSchemaException;
import io.hoptrace.streams.DetectionTopology;
import java.nio.charset.StandardCharsets;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The job's Kafka records: what its sources read and its sink writes (keys as UTF-8 text). */
final class KafkaRecords {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaRecords.class);

  private KafkaRecords() {}

  static String key(byte[] k) {
    return k == null ? null : new String(k, StandardCharsets.UTF_8);
  }

  /**
   * The packets topic: summaries and counters ({@link PacketsRecordSerde}, decoded once here for
   * their event time; undecodable records are logged, counted by reason — {@code unknown-schema} or
   * {@code undecodable} — and skipped as the Kafka Streams job does) and the end-of-input marker
   * ({@link DetectionTopology#FLUSH_KEY}).
   */
  static final class Packets implements KafkaRecordDeserializationSchema<PacketIn> {
    private static final long serialVersionUID = 1L;
    private final String dropsTopic;
    private transient PacketsRecordSerde serde;
    private transient AvroSerde<KernelDrop> drops;
    private transient long skipped;
    private transient long unknownSchema;

    /**
     * @param dropsTopic records of this topic are kernel drop records, the others packets records
     */
    Packets(String dropsTopic) {
      this.dropsTopic = dropsTopic;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
      AvroTrust.install();
      serde = PacketsRecordSerde.get();
      drops = AvroSerde.kernelDrop();
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<PacketIn> out) {
      String key = key(r.key());
      if (r.topic().equals(dropsTopic)) {
        drop(r, key, out);
        return;
      }
      if (DetectionTopology.FLUSH_KEY.equals(key)) {
        out.collect(PacketIn.flushMarker());
        return;
      }
      if (r.value() == null) {
        return;
      }
      SpecificRecord p = decodeOrSkip(v -> serde.decode(r.topic(), v), r);
      if (p == null) {
        return;
      }
      long event = PacketsRecordCodec.eventTimeNanos(p);
      long ts = event > 0 ? event : Math.max(0, r.timestamp()) * 1_000_000L;
      out.collect(new PacketIn(key == null ? "" : key, ts, r.value()));
    }

    /**
     * The record's value, or null when undecodable (counted by reason — {@code unknown-schema} or
     * {@code undecodable} — logged sparsely, skipped).
     */
    private <T extends SpecificRecord> T decodeOrSkip(
        java.util.function.Function<byte[], T> decoder, ConsumerRecord<byte[], byte[]> r) {
      try {
        return decoder.apply(r.value());
      } catch (RuntimeException e) {
        skipped++;
        boolean unknown = e instanceof UnknownSchemaException;
        if (unknown) {
          unknownSchema++;
        }
        if (skipped <= 10 || Long.bitCount(skipped) == 1) {
          LOG.warn(
              "skipping {} record (#{}, {} of unknown schema) at {}-{}@{}: {}",
              unknown ? "unknown-schema" : "undecodable",
              skipped,
              unknownSchema,
              r.topic(),
              r.partition(),
              r.offset(),
              e.toString());
        }
        return null;
      }
    }

    /** A drop record: event time is its interval's end; undecodable ones counted and skipped. */
    private void drop(ConsumerRecord<byte[], byte[]> r, String key, Collector<PacketIn> out) {
      if (r.value() == null) {
        return;
      }
      KernelDrop k = decodeOrSkip(drops::decode, r);
      if (k == null) {
        return;
      }
      long ts =
          k.getIntervalEndNanos() > 0
              ? k.getIntervalEndNanos()
              : Math.max(0, r.timestamp()) * 1_000_000L;
      PacketIn in = new PacketIn(key == null ? "" : key, ts, r.value());
      in.drop = true;
      out.collect(in);
    }

    @Override
    public TypeInformation<PacketIn> getProducedType() {
      return TypeInformation.of(PacketIn.class);
    }
  }

  /**
   * The compacted nodes topic: one inventory per node (by key, else its node name); every record,
   * one that updates nothing included, with its position.
   */
  static final class Nodes implements KafkaRecordDeserializationSchema<NodeUpdate> {
    private static final long serialVersionUID = 1L;
    private transient AvroSerde<NodeInventory> serde;

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
      AvroTrust.install();
      serde = AvroSerde.nodeInventory();
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<NodeUpdate> out) {
      out.collect(update(r));
    }

    /** The record's update, or its position alone when it updates nothing. */
    private NodeUpdate update(ConsumerRecord<byte[], byte[]> r) {
      String key = key(r.key());
      if (r.value() == null) {
        return new NodeUpdate(key, null, r.partition(), r.offset());
      }
      try {
        NodeInventory n = serde.decode(r.value());
        return new NodeUpdate(
            key != null ? key : n.getNode(), r.value(), r.partition(), r.offset());
      } catch (RuntimeException e) {
        LOG.warn("skipping undecodable nodes record at offset {}: {}", r.offset(), e.toString());
        return new NodeUpdate(null, null, r.partition(), r.offset());
      }
    }

    @Override
    public TypeInformation<NodeUpdate> getProducedType() {
      return TypeInformation.of(NodeUpdate.class);
    }
  }

  /** Output records to their topics, with the job's keys and event timestamps. */
  static final class Outputs implements KafkaRecordSerializationSchema<SinkRecord> {
    private static final long serialVersionUID = 1L;

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sink) {}

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
        SinkRecord r, KafkaSinkContext context, Long timestamp) {
      byte[] key = r.key == null ? null : r.key.getBytes(StandardCharsets.UTF_8);
      return new ProducerRecord<>(r.topic, null, r.timestamp, key, r.value);
    }
  }
}
