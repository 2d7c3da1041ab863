package io.hoptrace.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** The packets topic's one value definition: either kind, told apart by the writer fingerprint. */
class PacketsRecordSerdeTest {
  private static final String TOPIC = "hoptrace.packets";

  static FlowHopCounters counters() {
    return FlowHopCounters.newBuilder()
        .setNode("node-a")
        .setIface("eth0")
        .setReason(1)
        .setIpVersion(4)
        .setSrc("10.244.1.2")
        .setDst("10.244.2.3")
        .setProto(6)
        .setSport(40000)
        .setDport(80)
        .setFlowKey("6|10.244.1.2|40000|10.244.2.3|80")
        .setFirstTsNanos(1_000)
        .setLastTsNanos(2_000)
        .setPackets(3)
        .setBytes(4500)
        .build();
  }

  @Test
  void bothKindsRoundTripAsTheirOwnClassesWithTheBytesOfTheirAvroSerdes() {
    PacketsRecordSerde serde = PacketsRecordSerde.get();
    PacketSummary s = Fixtures.vxlanTcpSummary();
    FlowHopCounters k = counters();
    byte[] sb = serde.serializer().serialize(TOPIC, s);
    byte[] kb = serde.serializer().serialize(TOPIC, k);
    assertThat(sb).isEqualTo(AvroSerde.packetSummary().encode(s));
    assertThat(kb).isEqualTo(AvroSerde.of(FlowHopCounters.class).encode(k));
    SpecificRecord s2 = serde.deserializer().deserialize(TOPIC, sb);
    SpecificRecord k2 = serde.deserializer().deserialize(TOPIC, kb);
    assertThat(s2).isInstanceOf(PacketSummary.class).isEqualTo(s);
    assertThat(k2).isInstanceOf(FlowHopCounters.class).isEqualTo(k);
    assertThat(serde.codec().isCounters(kb)).isTrue();
    assertThat(serde.codec().isCounters(sb)).isFalse();
    assertThat(PacketsRecordCodec.eventTimeNanos(k2)).isEqualTo(2_000);
    assertThat(PacketsRecordCodec.eventTimeNanos(s2)).isEqualTo(s.getTsNanos());
    assertThat(PacketsRecordCodec.kind(k2)).isEqualTo("counters");
    assertThat(PacketsRecordCodec.kind(s2)).isEqualTo("summary");
    assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
    assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
  }

  @Test
  void everyShippedCountersVersionIsReadAsCounters() {
    for (SchemaHistory.Version v : SchemaHistory.versions("FlowHopCounters")) {
      byte[] header = new byte[AvroCodec.HEADER_LENGTH];
      header[0] = (byte) 0xC3;
      header[1] = 0x01;
      for (int i = 0; i < 8; i++) {
        header[2 + i] = (byte) (v.fingerprint() >>> (8 * i));
      }
      assertThat(PacketsRecordCodec.get().isCounters(header)).as("v" + v.version()).isTrue();
    }
  }

  @Test
  void badRecordsAreKafkaSerializationExceptionsNamingTheTopic() {
    PacketsRecordSerde serde = PacketsRecordSerde.get();
    assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, new byte[] {1, 2, 3}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining(TOPIC + ": not an Avro single-object encoded record");
    byte[] unknown = AvroSerde.packetSummary().encode(Fixtures.vxlanTcpSummary());
    unknown[2] ^= 0x5A; // a fingerprint no shipped schema has
    assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, unknown))
        .isInstanceOf(UnknownSchemaException.class)
        .hasMessageContaining("unknown writer schema fingerprint");
    assertThatThrownBy(() -> serde.encode(Fixtures.alert()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("not a packets-topic record");
  }
}
