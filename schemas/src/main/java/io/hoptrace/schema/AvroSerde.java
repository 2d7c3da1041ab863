package io.hoptrace.schema;

import org.apache.avro.Schema;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka Serde for hoptrace's generated Avro records: a thin adapter over the engine-free {@link
 * AvroCodec} (Avro single-object encoding, writer schemas resolved through {@link SchemaHistory};
 * see there). The schemas module declares kafka-clients optional: only users of this class need it.
 *
 * <p>A record whose fingerprint no store knows fails with an {@link UnknownSchemaException} naming
 * the fingerprint; malformed bytes fail with a {@link SerializationException}. {@code null} bytes
 * (tombstones on the compacted nodes topic) decode to {@code null} and {@code null} records encode
 * to {@code null}. Thread-safe: one instance may serve many threads.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

  static {
    AvroTrust.install();
  }

  /** Single-object encoding header: marker (2) + fingerprint (8). */
  public static final int HEADER_LENGTH = AvroCodec.HEADER_LENGTH;

  private final AvroCodec<T> codec;
  private final Serializer<T> serializer = new AvroSerializer();
  private final Deserializer<T> deserializer = new AvroDeserializer();

  private AvroSerde(AvroCodec<T> codec) {
    this.codec = codec;
  }

  public static AvroSerde<PacketSummary> packetSummary() {
    return of(PacketSummary.class);
  }

  public static AvroSerde<NodeInventory> nodeInventory() {
    return of(NodeInventory.class);
  }

  public static AvroSerde<FlowRecord> flowRecord() {
    return of(FlowRecord.class);
  }

  public static AvroSerde<Alert> alert() {
    return of(Alert.class);
  }

  public static AvroSerde<KernelDrop> kernelDrop() {
    return of(KernelDrop.class);
  }

  public static AvroSerde<Incident> incident() {
    return of(Incident.class);
  }

  /** A serde for any generated class, resolving writers through the shipped schema history. */
  public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
    return new AvroSerde<>(AvroCodec.of(type));
  }

  /**
   * A serde resolving writer schemas through {@code store} (e.g. {@link SchemaHistory#newStore}).
   */
  public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type, SchemaStore store) {
    return new AvroSerde<>(AvroCodec.of(type, store));
  }

  /** The engine-free codec under this serde. */
  public AvroCodec<T> codec() {
    return codec;
  }

  /** The generated class this serde reads and writes. */
  public Class<T> type() {
    return codec.type();
  }

  /** The (reader and writer) schema of the generated class. */
  public Schema schema() {
    return codec.schema();
  }

  /** The fingerprint this serde writes into every record. */
  public long fingerprint() {
    return codec.fingerprint();
  }

  /** Encodes one record (header + body); {@code null} gives {@code null}. */
  public byte[] encode(T record) {
    try {
      return codec.encode(record);
    } catch (AvroCodecException e) {
      throw kafka(e);
    }
  }

  /** Decodes one record; {@code null} gives {@code null}. */
  public T decode(byte[] data) {
    return decode(null, data);
  }

  /**
   * Decodes one record read from {@code topic} (used in error messages; may be null).
   *
   * @throws UnknownSchemaException when the writer schema fingerprint is not in the store
   * @throws SerializationException when the bytes are not a single-object-encoded record
   */
  public T decode(String topic, byte[] data) {
    try {
      return codec.decode(topic, data);
    } catch (AvroCodecException e) {
      throw kafka(e);
    }
  }

  /** Same message and cause, as the Kafka exception hosts count and skip. */
  static SerializationException kafka(AvroCodecException e) {
    if (e.unknownSchema()) {
      return new UnknownSchemaException(e.getMessage(), e.fingerprint(), e.getCause());
    }
    return e.getCause() == null
        ? new SerializationException(e.getMessage())
        : new SerializationException(e.getMessage(), e.getCause());
  }

  /** The writer fingerprint of a single-object encoded record (no validation of the marker). */
  public static long readFingerprint(byte[] data) {
    return AvroCodec.readFingerprint(data);
  }

  @Override
  public Serializer<T> serializer() {
    return serializer;
  }

  @Override
  public Deserializer<T> deserializer() {
    return deserializer;
  }

  @Override
  public String toString() {
    return String.format("AvroSerde[%s 0x%016x]", type().getSimpleName(), fingerprint());
  }

  private final class AvroSerializer implements Serializer<T> {
    @Override
    public byte[] serialize(String topic, T data) {
      return encode(data);
    }
  }

  private final class AvroDeserializer implements Deserializer<T> {
    @Override
    public T deserialize(String topic, byte[] data) {
      return decode(topic, data);
    }
  }
}
