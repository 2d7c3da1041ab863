package io.hoptrace.schema;

/**
 * An {@link AvroCodec} failure: bytes that are not a single-object-encoded record of the codec's
 * type, a record that cannot be encoded, or ({@link #unknownSchema()}) a writer schema fingerprint
 * no store knows. Engine-free; {@link AvroSerde} turns it into Kafka's {@code
 * SerializationException} or {@link UnknownSchemaException}.
 */
public class AvroCodecException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final boolean unknownSchema;
  private final long fingerprint;

  public AvroCodecException(String message, Throwable cause) {
    this(message, cause, false, 0);
  }

  private AvroCodecException(
      String message, Throwable cause, boolean unknownSchema, long fingerprint) {
    super(message, cause);
    this.unknownSchema = unknownSchema;
    this.fingerprint = fingerprint;
  }

  /** The writer schema with this fingerprint is in no store the reader knows. */
  public static AvroCodecException unknownSchema(
      String message, long fingerprint, Throwable cause) {
    return new AvroCodecException(message, cause, true, fingerprint);
  }

  /** True when the record's writer schema is unknown ({@link #fingerprint()} names it). */
  public boolean unknownSchema() {
    return unknownSchema;
  }

  /** The writer schema's fingerprint when {@link #unknownSchema()}, else 0. */
  public long fingerprint() {
    return fingerprint;
  }
}
