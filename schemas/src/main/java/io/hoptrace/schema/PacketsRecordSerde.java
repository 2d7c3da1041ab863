package io.hoptrace.schema;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka Serde of the {@code packets} topic's values, {@link PacketSummary} or {@link
 * FlowHopCounters}: a thin adapter over {@link PacketsRecordCodec}. Failures are Kafka exceptions
 * as {@link AvroSerde} throws them ({@link UnknownSchemaException} for an unknown writer
 * fingerprint, else {@link SerializationException}), which hosts count and skip. Thread-safe.
 */
public final class PacketsRecordSerde implements Serde<SpecificRecord> {

  private static final PacketsRecordSerde SHARED = new PacketsRecordSerde();

  private final PacketsRecordCodec codec = PacketsRecordCodec.get();

  private PacketsRecordSerde() {}

  public static PacketsRecordSerde get() {
    return SHARED;
  }

  /** The engine-free codec under this serde. */
  public PacketsRecordCodec codec() {
    return codec;
  }

  public byte[] encode(SpecificRecord record) {
    try {
      return codec.encode(record);
    } catch (AvroCodecException e) {
      throw AvroSerde.kafka(e);
    }
  }

  public SpecificRecord decode(String topic, byte[] data) {
    try {
      return codec.decode(topic, data);
    } catch (AvroCodecException e) {
      throw AvroSerde.kafka(e);
    }
  }

  @Override
  public Serializer<SpecificRecord> serializer() {
    return (topic, record) -> encode(record);
  }

  @Override
  public Deserializer<SpecificRecord> deserializer() {
    return this::decode;
  }
}
