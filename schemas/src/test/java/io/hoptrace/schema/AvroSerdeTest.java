package io.hoptrace.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

  private static final String TOPIC = "hoptrace.packets";

  @Test
  void everyRecordTypeSurvivesARoundTrip() {
    assertRoundTrip(AvroSerde.packetSummary(), Fixtures.vxlanTcpSummary());
    assertRoundTrip(AvroSerde.packetSummary(), Fixtures.podTcpSummary());
    assertRoundTrip(AvroSerde.packetSummary(), Fixtures.icmpFragNeeded());
    assertRoundTrip(AvroSerde.packetSummary(), Fixtures.dnsResponse());
    assertRoundTrip(AvroSerde.nodeInventory(), Fixtures.inventory());
    assertRoundTrip(AvroSerde.flowRecord(), Fixtures.flow());
    assertRoundTrip(AvroSerde.alert(), Fixtures.alert());
    assertRoundTrip(AvroSerde.alert(), Fixtures.alertWithDropReason());
    assertRoundTrip(AvroSerde.kernelDrop(), Fixtures.kernelDrop());
  }

  @Test
  void anAlertWrittenBeforeDropReasonsReadsWithoutOne() throws IOException {
    Schema v2 = SchemaHistory.versions("Alert").get(1).schema();
    Alert original = Fixtures.alert();
    GenericRecord old = new GenericData.Record(v2);
    // the v2 writer: every field v2 has, from the current record
    for (Schema.Field f : v2.getFields()) {
      old.put(f.name(), GenericData.get().deepCopy(f.schema(), toGeneric(original, f.name())));
    }
    byte[] v2Bytes =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v2).encode(old).array();

    Alert read = AvroSerde.alert().decode(v2Bytes);

    assertThat(AvroSerde.readFingerprint(v2Bytes))
        .isEqualTo(SchemaHistory.versions("Alert").get(1).fingerprint());
    assertThat(read.getDropReason()).isNull();
    assertThat(read.getHint()).isEqualTo(original.getHint());
    assertThat(read.getLostAt()).isEqualTo(original.getLostAt());
  }

  private static Object toGeneric(Alert a, String field) throws IOException {
    // through the current schema's generic form, so nested records are GenericRecords
    byte[] bytes = AvroSerde.alert().encode(a);
    GenericRecord g =
        new GenericDatumReader<GenericRecord>(Alert.getClassSchema())
            .read(
                null,
                DecoderFactory.get()
                    .binaryDecoder(
                        Arrays.copyOfRange(bytes, AvroSerde.HEADER_LENGTH, bytes.length), null));
    return g.get(field);
  }

  @Test
  void encodingIsByteIdenticalToAvrosOwnSingleObjectEncoder() throws IOException {
    assertSameBytesAsAvro(AvroSerde.packetSummary(), Fixtures.vxlanTcpSummary());
    assertSameBytesAsAvro(AvroSerde.packetSummary(), Fixtures.icmpFragNeeded());
    assertSameBytesAsAvro(AvroSerde.packetSummary(), Fixtures.dnsResponse());
    assertSameBytesAsAvro(AvroSerde.nodeInventory(), Fixtures.inventory());
    assertSameBytesAsAvro(AvroSerde.flowRecord(), Fixtures.flow());
    assertSameBytesAsAvro(AvroSerde.alert(), Fixtures.alert());
  }

  private static <T extends SpecificRecord> void assertSameBytesAsAvro(AvroSerde<T> serde, T record)
      throws IOException {
    BinaryMessageEncoder<T> avro =
        new BinaryMessageEncoder<>(SpecificData.getForClass(serde.type()), serde.schema());
    ByteBuffer expected = avro.encode(record);
    byte[] want = new byte[expected.remaining()];
    expected.get(want);
    // twice: the second call reuses the thread's buffer and encoder
    assertThat(serde.encode(record)).isEqualTo(want);
    assertThat(serde.encode(record)).isEqualTo(want);
  }

  @Test
  void recordsStartWithTheSingleObjectMarkerAndTheSchemaFingerprint() {
    AvroSerde<PacketSummary> serde = AvroSerde.packetSummary();
    byte[] bytes = serde.serializer().serialize(TOPIC, Fixtures.vxlanTcpSummary());

    assertThat(bytes[0]).isEqualTo((byte) 0xC3);
    assertThat(bytes[1]).isEqualTo((byte) 0x01);
    assertThat(AvroSerde.readFingerprint(bytes))
        .isEqualTo(SchemaNormalization.parsingFingerprint64(PacketSummary.getClassSchema()))
        .isEqualTo(serde.fingerprint());
  }

  @Test
  void aTypicalPacketSummaryIsSmallerThan200Bytes() {
    AvroSerde<PacketSummary> serde = AvroSerde.packetSummary();

    // strings dominate: node, iface, addresses, flow key (35 B) and community ID (31 B)
    assertThat(serde.encode(Fixtures.vethTcpSummary())).hasSizeLessThan(200);
    // a pod hop adds the pod name; an uplink hop one VXLAN layer (two addresses, ports, VNI...)
    assertThat(serde.encode(Fixtures.podTcpSummary())).hasSizeLessThan(220);
    assertThat(serde.encode(Fixtures.vxlanTcpSummary())).hasSizeLessThan(250);
  }

  @Test
  void nullIsATombstoneBothWays() {
    AvroSerde<NodeInventory> serde = AvroSerde.nodeInventory();

    assertThat(serde.serializer().serialize("hoptrace.nodes", null)).isNull();
    assertThat(serde.deserializer().deserialize("hoptrace.nodes", null)).isNull();
  }

  @Test
  void aV1ReaderDecodesAV2RecordAndIgnoresTheAddedFields() throws IOException {
    Schema v2 = loadV2();
    SchemaStore.Cache store = SchemaHistory.newStore();
    store.addSchema(v2);
    AvroSerde<PacketSummary> v1Reader = AvroSerde.of(PacketSummary.class, store);
    PacketSummary original = Fixtures.vxlanTcpSummary();
    GenericRecord asV2 = readAsV2(v2, AvroSerde.packetSummary().encode(original));
    asV2.put("captureHost", "sensor-7");
    asV2.put("queueLatencyNanos", 1234L);
    byte[] v2Bytes =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v2).encode(asV2).array();

    PacketSummary decoded = v1Reader.deserializer().deserialize(TOPIC, v2Bytes);

    assertThat(AvroSerde.readFingerprint(v2Bytes)).isNotEqualTo(v1Reader.fingerprint());
    assertThat(decoded).isEqualTo(original);
  }

  @Test
  void aV2ReaderDecodesAV1RecordFillingTheAddedFieldsWithDefaults() throws IOException {
    Schema v2 = loadV2();
    PacketSummary original = Fixtures.icmpFragNeeded();

    GenericRecord decoded = readAsV2(v2, AvroSerde.packetSummary().encode(original));

    assertThat(decoded.get("captureHost").toString()).isEqualTo("unknown");
    assertThat(decoded.get("queueLatencyNanos")).isEqualTo(-1L);
    assertThat(decoded.get("node").toString()).isEqualTo("node-a");
    assertThat(decoded.get("proto")).isEqualTo(1);
    assertThat(((GenericRecord) decoded.get("icmp")).get("mtu")).isEqualTo(1400);
  }

  @Test
  void anUnknownFingerprintGivesAClearErrorNamingIt() throws IOException {
    Schema v2 = loadV2();
    GenericRecord asV2 = readAsV2(v2, AvroSerde.packetSummary().encode(Fixtures.vxlanTcpSummary()));
    byte[] v2Bytes =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v2).encode(asV2).array();
    long fingerprint = SchemaNormalization.parsingFingerprint64(v2);

    assertThatThrownBy(() -> AvroSerde.packetSummary().deserializer().deserialize(TOPIC, v2Bytes))
        .isInstanceOf(UnknownSchemaException.class)
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining(TOPIC)
        .hasMessageContaining(String.format("0x%016x", fingerprint))
        .hasMessageContaining("PacketSummary")
        .satisfies(
            e -> assertThat(((UnknownSchemaException) e).fingerprint()).isEqualTo(fingerprint));
  }

  @Test
  void bytesThatAreNotASingleObjectRecordGiveASerializationException() {
    AvroSerde<PacketSummary> serde = AvroSerde.packetSummary();
    byte[] valid = serde.encode(Fixtures.vxlanTcpSummary());
    byte[] truncated = Arrays.copyOf(valid, valid.length / 2);

    assertThatThrownBy(() -> serde.decode(TOPIC, "{\"json\":true}".getBytes()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("not an Avro single-object encoded record");
    assertThatThrownBy(() -> serde.decode(TOPIC, new byte[0]))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("(empty)");
    assertThatThrownBy(() -> serde.decode(TOPIC, truncated))
        .isInstanceOf(SerializationException.class)
        .isNotInstanceOf(UnknownSchemaException.class)
        .hasMessageContaining("cannot decode PacketSummary");
  }

  @Test
  void oneRecordTypeIsNotReadAsAnother() {
    byte[] alert = AvroSerde.alert().encode(Fixtures.alert());

    assertThatThrownBy(() -> AvroSerde.packetSummary().decode(TOPIC, alert))
        .isInstanceOf(SerializationException.class);
  }

  private static <T extends SpecificRecord> void assertRoundTrip(AvroSerde<T> serde, T record) {
    byte[] bytes = serde.serializer().serialize("t", record);
    T back = serde.deserializer().deserialize("t", bytes);

    assertThat(back).isEqualTo(record).isNotSameAs(record);
    assertThat(serde.decode(bytes)).isEqualTo(record);
  }

  private static GenericRecord readAsV2(Schema v2, byte[] v1Bytes) throws IOException {
    BinaryMessageDecoder<GenericRecord> v2Reader =
        new BinaryMessageDecoder<>(GenericData.get(), v2, SchemaHistory.newStore());
    return v2Reader.decode(v1Bytes);
  }

  private static Schema loadV2() throws IOException {
    try (InputStream in =
        AvroSerdeTest.class.getResourceAsStream("/evolution/PacketSummary-v2.avsc")) {
      return new Schema.Parser().parse(in);
    }
  }
}
