package io.hoptrace.flink;

import io.hoptrace.schema.AvroSerde;
import io.hoptrace.schema.AvroTrust;
import io.hoptrace.schema.KernelDrop;
import io.hoptrace.schema.NodeInventory;
import io.hoptrace.schema.PacketsRecordCodec;
import io.hoptrace.schema.PacketsRecordSerde;
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

/** The job's Kafka records: what its sources read and its sink writes (keys as UTF-8 text). */
final class KafkaRecords {

  private KafkaRecords() {}

  static String key(byte[] k) {
    return k == null ? null : new String(k, StandardCharsets.UTF_8);
  }

  /**
   * The packets topic: summaries and counters ({@link PacketsRecordSerde}, decoded once here for
   * their event time) and the end-of-input marker ({@link DetectionTopology#FLUSH_KEY}); and the
   * drops topic. Undecodable records are skipped as the Kafka Streams job does, counted per input
   * and reason in Flink metrics ({@link SkippedRecords}).
   */
  static final class Packets implements KafkaRecordDeserializationSchema<PacketIn> {
    private static final long serialVersionUID = 1L;
    private final String dropsTopic;
    private transient PacketsRecordSerde serde;
    private transient AvroSerde<KernelDrop> drops;
    private transient SkippedRecords skippedPackets;
    private transient SkippedRecords skippedDrops;

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
      skippedPackets = new SkippedRecords(context.getMetricGroup(), "packets");
      skippedDrops = new SkippedRecords(context.getMetricGroup(), "drops");
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
      SpecificRecord p = decodeOrSkip(v -> serde.decode(r.topic(), v), r, skippedPackets);
      if (p == null) {
        return;
      }
      long event = PacketsRecordCodec.eventTimeNanos(p);
      long ts = event > 0 ? event : Math.max(0, r.timestamp()) * 1_000_000L;
      out.collect(new PacketIn(key == null ? "" : key, ts, r.value()));
    }

    /** The record's value, or null when undecodable (counted in {@code skipped}). */
    private static <T extends SpecificRecord> T decodeOrSkip(
        java.util.function.Function<byte[], T> decoder,
        ConsumerRecord<byte[], byte[]> r,
        SkippedRecords skipped) {
      try {
        return decoder.apply(r.value());
      } catch (RuntimeException e) {
        skipped.skip(r, e);
        return null;
      }
    }

    /** A drop record: event time is its interval's end; undecodable ones counted and skipped. */
    private void drop(ConsumerRecord<byte[], byte[]> r, String key, Collector<PacketIn> out) {
      if (r.value() == null) {
        return;
      }
      KernelDrop k = decodeOrSkip(drops::decode, r, skippedDrops);
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
   * one that updates nothing included, with its position. An undecodable record updates nothing and
   * is counted ({@link SkippedRecords}).
   */
  static final class Nodes implements KafkaRecordDeserializationSchema<NodeUpdate> {
    private static final long serialVersionUID = 1L;
    private transient AvroSerde<NodeInventory> serde;
    private transient SkippedRecords skipped;

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
      AvroTrust.install();
      serde = AvroSerde.nodeInventory();
      skipped = new SkippedRecords(context.getMetricGroup(), "nodes");
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
        skipped.skip(r, e);
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
