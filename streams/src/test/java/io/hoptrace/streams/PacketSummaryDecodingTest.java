package io.hoptrace.streams;

import static io.hoptrace.lab.Lab.*;
import static io.hoptrace.lab.Pkt.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.lab.Lab;
import io.hoptrace.schema.AvroSerde;
import io.hoptrace.schema.PacketSummary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.specific.SpecificData;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

/**
 * The packet serde's current-schema fast path (customDecode) reads every summary kind exactly as
 * Avro's own single-object message decoder does, and bad input still fails clearly.
 */
class PacketSummaryDecodingTest {
  private final AvroSerde<PacketSummary> serde = AvroSerde.packetSummary();
  private final Deserializer<PacketSummary> fast = serde.deserializer();

  /** Avro's message decoder on a fresh model (no custom coders): the reference reading. */
  private final BinaryMessageDecoder<PacketSummary> reference =
      new BinaryMessageDecoder<>(new SpecificData(), PacketSummary.getClassSchema());

  @Test
  void readsEverySummaryKindAsTheAvroDeserializerDoes() {
    Lab lab = new Lab().nodeAEncapsulatesTo("192.168.232.99");
    List<PacketSummary> all = new ArrayList<>();
    all.addAll(lab.over(tcp(POD_A, 40000, POD_B, 80, SYN, 100, 0, 0), sec(0), A_TO_B));
    all.addAll(lab.over(tcp(POD_B, 80, POD_A, 40000, SYN | ACK, 7, 101, 0), sec(1), B_TO_A));
    all.addAll(lab.over(dnsQuery(POD_A, 33000, "10.244.1.10", 7), sec(2), A_TO_B));
    all.addAll(lab.over(dnsAnswer("10.244.1.10", POD_A, 33000, 7, 2), sec(3), B_TO_A));
    all.addAll(lab.over(echoRequest(POD_A, POD_B, 1, 2), sec(4), A_TO_B));
    all.addAll(
        lab.over(
            icmpError(
                    A_IP,
                    3,
                    4,
                    tuple(17, A_IP, 5000, B_IP, 8472),
                    tuple(6, POD_A, 40000, POD_B, 80))
                .icmpMtu(1450),
            sec(5),
            A_TO_B.subList(3, 5)));
    assertThat(all).anySatisfy(p -> assertThat(p.getEncap()).isNotEmpty());
    for (PacketSummary p : all) {
      byte[] bytes = serde.serializer().serialize("packets", p);
      assertThat(fast.deserialize("packets", bytes)).isEqualTo(decodeReference(bytes)).isEqualTo(p);
    }
  }

  @Test
  void nullAndBadRecordsAreHandledAsByTheAvroDeserializer() {
    assertThat(fast.deserialize("packets", null)).isNull();
    byte[] junk = {1, 2, 3};
    assertThatThrownBy(() -> fast.deserialize("packets", junk))
        .isInstanceOf(SerializationException.class);
    PacketSummary p = lab().get(0);
    byte[] bytes = serde.serializer().serialize("packets", p);
    byte[] cut = Arrays.copyOf(bytes, bytes.length - 4);
    assertThatThrownBy(() -> fast.deserialize("packets", cut))
        .isInstanceOf(SerializationException.class);
  }

  private PacketSummary decodeReference(byte[] bytes) {
    try {
      return reference.decode(bytes);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static List<PacketSummary> lab() {
    return new Lab().over(tcp(POD_A, 40000, POD_B, 80, SYN, 100, 0, 0), sec(0), A_TO_B);
  }
}
