package io.hoptrace.schema;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * The engine-free codec of hoptrace's generated Avro records, Avro single-object encoding: {@code
 * C3 01}, the writer schema's 8-byte CRC-64-AVRO fingerprint (little-endian), then the binary body.
 * No registry is needed: readers resolve the writer schema from a {@link SchemaStore} loaded with
 * {@link SchemaHistory} (every schema version hoptrace shipped), so records of older writers are
 * read into the current classes (added fields take their defaults). {@link AvroSerde} adapts it to
 * Kafka; this class needs no Kafka.
 *
 * <p>A record whose fingerprint no store knows fails with an {@link AvroCodecException} whose
 * {@link AvroCodecException#unknownSchema()} is true and which names the fingerprint; malformed
 * bytes fail with an {@link AvroCodecException}. {@code null} bytes (tombstones on the compacted
 * nodes topic) decode to {@code null} and {@code null} records encode to {@code null}. Thread-safe:
 * one instance may serve many threads.
 */
public final class AvroCodec<T extends SpecificRecord> {

  static {
    AvroTrust.install();
  }

  /** Single-object encoding header: marker (2) + fingerprint (8). */
  public static final int HEADER_LENGTH = 10;

  private static final byte MAGIC_0 = (byte) 0xC3;
  private static final byte MAGIC_1 = (byte) 0x01;

  private final Class<T> type;
  private final Schema schema;
  private final long fingerprint;

  /** Per thread: a reused output buffer, buffered binary encoder and datum writer. */
  private final ThreadLocal<Writer<T>> writers;

  /** Per thread: a reused binary decoder for records written with the current schema. */
  private final ThreadLocal<BinaryDecoder> readerDecoders = new ThreadLocal<>();

  /** Reads current-schema bodies with the generated classes' customDecode. */
  private final SpecificDatumReader<T> currentReader;

  private final BinaryMessageDecoder<T> decoder;

  private AvroCodec(Class<T> type, SchemaStore store) {
    AvroTrust.install();
    this.type = Objects.requireNonNull(type, "type");
    SpecificData model = SpecificData.getForClass(type);
    // The generated classes carry customEncode/customDecode (straight-line code per field); Avro
    // uses them only when asked. Same bytes, without the generic per-field schema walk.
    model.setCustomCoders(true);
    this.schema = model.getSchema(type);
    this.fingerprint = SchemaNormalization.parsingFingerprint64(schema);
    this.writers = ThreadLocal.withInitial(() -> new Writer<>(model, schema, fingerprint));
    this.decoder =
        new BinaryMessageDecoder<>(model, schema, Objects.requireNonNull(store, "store"));
    // Records of the current schema (nearly all) skip the message decoder's generic schema walk,
    // which reads one byte at a time: the generated customDecode over a buffered decoder reads the
    // same fields straight. Other writer schemas are resolved through the store as before.
    SpecificData fast = new SpecificData(type.getClassLoader());
    fast.setCustomCoders(true);
    fast.setFastReaderEnabled(false);
    this.currentReader = new SpecificDatumReader<>(schema, schema, fast);
  }

  public static AvroCodec<PacketSummary> packetSummary() {
    return of(PacketSummary.class);
  }

  public static AvroCodec<NodeInventory> nodeInventory() {
    return of(NodeInventory.class);
  }

  public static AvroCodec<FlowRecord> flowRecord() {
    return of(FlowRecord.class);
  }

  public static AvroCodec<Alert> alert() {
    return of(Alert.class);
  }

  /** A codec for any generated class, resolving writers through the shipped schema history. */
  public static <T extends SpecificRecord> AvroCodec<T> of(Class<T> type) {
    return new AvroCodec<>(type, DefaultStore.STORE);
  }

  /**
   * A codec resolving writer schemas through {@code store} (e.g. {@link SchemaHistory#newStore}).
   */
  public static <T extends SpecificRecord> AvroCodec<T> of(Class<T> type, SchemaStore store) {
    return new AvroCodec<>(type, store);
  }

  /** The generated class this codec reads and writes. */
  public Class<T> type() {
    return type;
  }

  /** The (reader and writer) schema of the generated class. */
  public Schema schema() {
    return schema;
  }

  /** The fingerprint this codec writes into every record. */
  public long fingerprint() {
    return fingerprint;
  }

  /** Encodes one record (header + body); {@code null} gives {@code null}. */
  public byte[] encode(T record) {
    if (record == null) {
      return null;
    }
    try {
      return writers.get().encode(record);
    } catch (IOException | RuntimeException e) {
      throw new AvroCodecException(
          "cannot encode " + type.getSimpleName() + " as Avro: " + e.getMessage(), e);
    }
  }

  /**
   * Writes the single-object encoding (C3 01, the schema's 64-bit parsing fingerprint
   * little-endian, then the binary body) the same as Avro's {@code BinaryMessageEncoder}, but
   * through a buffered {@link BinaryEncoder} into a reused buffer: Avro's message encoder writes
   * through a {@code DirectBinaryEncoder} one byte at a time, which dominated the sensor's publish
   * path.
   */
  private static final class Writer<T> {
    private final Reused out = new Reused();
    private final SpecificDatumWriter<T> datumWriter;
    private final byte[] header = new byte[HEADER_LENGTH];
    private BinaryEncoder encoder;

    Writer(SpecificData model, Schema schema, long fingerprint) {
      this.datumWriter = new SpecificDatumWriter<>(schema, model);
      header[0] = MAGIC_0;
      header[1] = MAGIC_1;
      for (int i = 0; i < 8; i++) {
        header[2 + i] = (byte) (fingerprint >>> (8 * i));
      }
    }

    byte[] encode(T record) throws IOException {
      out.reset();
      out.write(header, 0, HEADER_LENGTH);
      encoder = EncoderFactory.get().binaryEncoder(out, encoder);
      datumWriter.write(record, encoder);
      encoder.flush();
      return out.toByteArray();
    }
  }

  /** A byte buffer reused across records (only its contents are copied out). */
  private static final class Reused extends ByteArrayOutputStream {
    Reused() {
      super(512);
    }
  }

  /** Decodes one record; {@code null} gives {@code null}. */
  public T decode(byte[] data) {
    return decode(null, data);
  }

  /**
   * Decodes one record read from {@code topic} (used in error messages; may be null).
   *
   * @throws AvroCodecException when the bytes are not a single-object-encoded record, or ({@link
   *     AvroCodecException#unknownSchema()}) the writer schema fingerprint is not in the store
   */
  public T decode(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    String where = topic == null ? "" : topic + ": ";
    if (data.length < HEADER_LENGTH || data[0] != MAGIC_0 || data[1] != MAGIC_1) {
      throw new AvroCodecException(
          where
              + "not an Avro single-object encoded record ("
              + data.length
              + " bytes, header "
              + hexPrefix(data)
              + ", expected C3 01 + 8-byte fingerprint) for "
              + type.getSimpleName(),
          null);
    }
    try {
      if (readFingerprint(data) == fingerprint) {
        BinaryDecoder in =
            DecoderFactory.get()
                .binaryDecoder(
                    data, HEADER_LENGTH, data.length - HEADER_LENGTH, readerDecoders.get());
        readerDecoders.set(in);
        return currentReader.read(null, in);
      }
      return decoder.decode(data);
    } catch (MissingSchemaException e) {
      long fp = readFingerprint(data);
      throw AvroCodecException.unknownSchema(
          String.format(
              "%sunknown writer schema fingerprint 0x%016x: no %s schema with this fingerprint is"
                  + " known to this reader (reader schema 0x%016x); the record was written by a"
                  + " newer or foreign producer — ship its schema in"
                  + " io/hoptrace/schema/history/%s/ to read it",
              where, fp, type.getSimpleName(), fingerprint, type.getSimpleName()),
          fp,
          e);
    } catch (BadHeaderException e) {
      throw new AvroCodecException(
          where + "bad Avro single-object header: " + e.getMessage(), null);
    } catch (IOException | RuntimeException e) {
      // AvroRuntimeException (incl. the SystemLimitException of AvroTrust's limits), an index out
      // of
      // bounds, and the UnsupportedOperationException Avro throws for a collection or string
      // length beyond 2^31 (found by AvroDecodeFuzzTest): all mean these bytes are not a record
      long fp = readFingerprint(data);
      String known = SchemaHistory.describe(fp);
      throw new AvroCodecException(
          String.format(
              "%scannot decode %s (%d bytes, writer schema 0x%016x%s): %s",
              where, type.getSimpleName(), data.length, fp, known == null ? "" : " = " + known, e),
          e);
    }
  }

  /** The writer fingerprint of a single-object encoded record (no validation of the marker). */
  public static long readFingerprint(byte[] data) {
    long fp = 0;
    for (int i = 9; i >= 2; i--) {
      fp = (fp << 8) | (data[i] & 0xFFL);
    }
    return fp;
  }

  private static String hexPrefix(byte[] data) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(4, data.length); i++) {
      sb.append(String.format("%02X ", data[i]));
    }
    return sb.length() == 0 ? "(empty)" : sb.toString().trim();
  }

  @Override
  public String toString() {
    return String.format("AvroCodec[%s 0x%016x]", type.getSimpleName(), fingerprint);
  }

  /** The store shared by codecs made without one: loaded once, on first use. */
  private static final class DefaultStore {
    static final SchemaStore STORE = SchemaHistory.newStore();
  }
}
