package io.hoptrace.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Fuzzes the Avro decoding of every record type on every topic: {@link AvroSerde} for the seven
 * record types (what Kafka consumers call) and {@link PacketsRecordCodec} (the packets topic, where
 * summaries and counters share a topic). Garbage must fail with the exception hosts count and skip
 * — {@link SerializationException} from a serde, {@link AvroCodecException} from a codec — never
 * another exception, a hang or an allocation sized by a length field; a record that decodes must
 * encode and decode back equal.
 *
 * <p>Input: byte 0 picks the record type, byte 1 the header: 0 = none added (the input is the whole
 * record), 1 = the current schema's header, 2.. = the header of one shipped schema version (so the
 * fuzzer reaches schema resolution of old writers without guessing fingerprints); the rest is the
 * body. Regression inputs (records of every type and shipped version, and every crash found) are in
 * {@code AvroDecodeFuzzTestInputs/decode/}; docs/reliability.md "Fuzzing" has the fuzzing command.
 */
class AvroDecodeFuzzTest {

  private static final List<Class<? extends SpecificRecord>> TYPES =
      List.of(
          PacketSummary.class,
          FlowHopCounters.class,
          NodeInventory.class,
          KernelDrop.class,
          FlowRecord.class,
          Alert.class,
          Incident.class);

  private static final List<AvroSerde<? extends SpecificRecord>> SERDES = new ArrayList<>();
  private static final List<Long> FINGERPRINTS = new ArrayList<>();

  static {
    for (Class<? extends SpecificRecord> t : TYPES) {
      SERDES.add(AvroSerde.of(t));
    }
    // a fixed order (SchemaHistory.all() follows a Map's per-JVM order): inputs must replay
    List<SchemaHistory.Version> versions = new ArrayList<>(SchemaHistory.all());
    versions.sort(
        Comparator.comparing(SchemaHistory.Version::name)
            .thenComparingInt(SchemaHistory.Version::version));
    for (SchemaHistory.Version v : versions) {
      FINGERPRINTS.add(v.fingerprint());
    }
  }

  @FuzzTest(maxDuration = "30s")
  void decode(byte[] input) {
    if (input.length < 2) {
      return;
    }
    int which = (input[0] & 0xFF) % (TYPES.size() + 1);
    int mode = (input[1] & 0xFF) % (FINGERPRINTS.size() + 2);
    byte[] data = withHeader(input, mode, which);
    if (which == TYPES.size()) {
      packetsTopic(data);
    } else {
      oneType(SERDES.get(which), data);
    }
  }

  private static <T extends SpecificRecord> void oneType(AvroSerde<T> serde, byte[] data) {
    T record;
    try {
      record = serde.decode("fuzz", data);
    } catch (SerializationException e) {
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    assertThat(record).isNotNull();
    assertThat(serde.decode("fuzz", serde.encode(record))).isEqualTo(record);
  }

  private static void packetsTopic(byte[] data) {
    PacketsRecordCodec codec = PacketsRecordCodec.get();
    SpecificRecord record;
    try {
      record = codec.decode("fuzz", data);
    } catch (AvroCodecException e) {
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    assertThat(record).isNotNull();
    assertThat(codec.decode("fuzz", codec.encode(record))).isEqualTo(record);
  }

  private static byte[] withHeader(byte[] input, int mode, int which) {
    int bodyLength = input.length - 2;
    if (mode == 0) {
      byte[] data = new byte[bodyLength];
      System.arraycopy(input, 2, data, 0, bodyLength);
      return data;
    }
    long fp =
        mode == 1
            ? (which == TYPES.size() ? SERDES.get(0) : SERDES.get(which)).fingerprint()
            : FINGERPRINTS.get(mode - 2);
    byte[] data = new byte[AvroCodec.HEADER_LENGTH + bodyLength];
    data[0] = (byte) 0xC3;
    data[1] = (byte) 0x01;
    for (int i = 0; i < 8; i++) {
      data[2 + i] = (byte) (fp >>> (8 * i));
    }
    System.arraycopy(input, 2, data, AvroCodec.HEADER_LENGTH, bodyLength);
    return data;
  }
}
