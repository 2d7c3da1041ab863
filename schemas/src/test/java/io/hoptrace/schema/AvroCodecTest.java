package io.hoptrace.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.avro.message.SchemaStore;
import org.junit.jupiter.api.Test;

/** The engine-free codec under AvroSerde: same bytes, its own (Kafka-free) exceptions. */
class AvroCodecTest {
  @Test
  void encodesTheSameBytesAsTheSerdeAndRoundTrips() {
    PacketSummary s = Fixtures.vxlanTcpSummary();
    AvroCodec<PacketSummary> codec = AvroCodec.packetSummary();
    byte[] bytes = codec.encode(s);
    assertThat(bytes).isEqualTo(AvroSerde.packetSummary().encode(s));
    assertThat(codec.decode(bytes)).isEqualTo(s);
    assertThat(codec.encode(null)).isNull();
    assertThat(codec.decode(null)).isNull();
    assertThat(AvroCodec.readFingerprint(bytes)).isEqualTo(codec.fingerprint());
  }

  @Test
  void failuresAreCodecExceptionsNamingTheUnknownFingerprint() {
    assertThatThrownBy(() -> AvroCodec.packetSummary().decode("t", new byte[] {1, 2, 3}))
        .isInstanceOf(AvroCodecException.class)
        .hasMessageContaining("t: not an Avro single-object encoded record")
        .satisfies(e -> assertThat(((AvroCodecException) e).unknownSchema()).isFalse());
    byte[] alien = AvroCodec.alert().encode(Fixtures.alert());
    AvroCodec<PacketSummary> empty = AvroCodec.of(PacketSummary.class, new SchemaStore.Cache());
    assertThatThrownBy(() -> empty.decode(alien))
        .isInstanceOf(AvroCodecException.class)
        .satisfies(
            e -> {
              AvroCodecException c = (AvroCodecException) e;
              assertThat(c.unknownSchema()).isTrue();
              assertThat(c.fingerprint()).isEqualTo(AvroCodec.alert().fingerprint());
            });
  }

  @Test
  void theCodecNeedsNoKafka() {
    for (Class<?> c :
        new Class<?>[] {
          AvroCodec.class,
          AvroCodecException.class,
          io.hoptrace.contract.FlowKey.class,
          io.hoptrace.contract.HopId.class,
          io.hoptrace.contract.IpProto.class,
          io.hoptrace.contract.IpText.class
        }) {
      assertThat(c.getSuperclass().getName()).doesNotStartWith("org.apache.kafka");
      for (var f : c.getDeclaredFields()) {
        assertThat(f.getType().getName()).as(c + "." + f).doesNotStartWith("org.apache.kafka");
      }
    }
  }
}
