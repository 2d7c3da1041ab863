package io.hoptrace.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.capture.HopContext;
import io.hoptrace.capture.PacketRing;
import io.hoptrace.schema.AvroCodecException;
import io.hoptrace.schema.InterfaceRole;
import io.hoptrace.schema.PcapAnswer;
import io.hoptrace.schema.PcapRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link PcapExchange}: the request and answer records of {@code hoptrace pcap}, as bytes. */
class PcapExchangeTest {
  private static final HopContext POD =
      new HopContext("node-a", "pod-a1", "eth0", InterfaceRole.POD);
  private static final HopContext UPLINK =
      new HopContext("node-a", null, "ens33", InterfaceRole.UPLINK);

  @Test
  void aRequestCarriesItsSelectionThroughBytes() {
    PacketSelection sel =
        new PacketSelection()
            .add("6|10.244.0.2|40011|10.244.1.2|8080", 100, 200)
            .add("1|10.244.0.2|0|10.244.1.2|0", 150, 900)
            .add("6|10.244.0.2|40011|10.244.1.2|8080", 500, 600);

    PcapRequest back =
        PcapExchange.decodeRequest(
            PcapExchange.encode(PcapExchange.request("r-1", "conversation c-7", 42, sel)));

    assertThat(back.getId()).isEqualTo("r-1");
    assertThat(back.getSubject()).isEqualTo("conversation c-7");
    assertThat(back.getRequestedAtNanos()).isEqualTo(42);
    PacketSelection again = PcapExchange.selection(back);
    assertThat(again.spans()).isEqualTo(sel.spans());
    assertThat(again.matches("6|10.244.0.2|40011|10.244.1.2|8080", 550)).isTrue();
    assertThat(again.matches("6|10.244.0.2|40011|10.244.1.2|8080", 300)).isFalse();
    assertThatThrownBy(() -> PcapExchange.request("r-2", "incident i", 1, new PacketSelection()))
        .hasMessageContaining("nothing selected for incident i");
    assertThatThrownBy(() -> PcapExchange.decodeRequest(new byte[] {1, 2, 3}))
        .isInstanceOf(AvroCodecException.class);
  }

  @Test
  void anAnswerIsCutIntoPartsAndReadBackInOrderWithItsHops() {
    Random rnd = new Random(7);
    List<HopRings.Kept> kept = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      byte[] data = new byte[40 + rnd.nextInt(200)];
      rnd.nextBytes(data);
      HopContext hop = i % 3 == 0 ? POD : UPLINK;
      kept.add(
          new HopRings.Kept(
              hop, i % 3 == 0 ? 0 : 1, new PacketRing.Packet(1000L + i, 1, data.length + 4, data)));
    }

    List<PcapAnswer> parts = PcapExchange.answer("r-1", "node-a", "s-1", kept, 2048);

    assertThat(parts.size()).isGreaterThan(5);
    List<PcapExchange.Packet> read = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      PcapAnswer p = PcapExchange.decodeAnswer(PcapExchange.encode(parts.get(i)));
      assertThat(p.getPart()).isEqualTo(i);
      assertThat(p.getLast()).isEqualTo(i == parts.size() - 1);
      assertThat(p.getRequestId()).isEqualTo("r-1");
      assertThat(p.getNode()).isEqualTo("node-a");
      assertThat(p.getSensorId()).isEqualTo("s-1");
      long bytes = p.getPackets().stream().mapToLong(x -> x.getData().remaining() + 32).sum();
      assertThat(bytes).isLessThanOrEqualTo(2048);
      read.addAll(PcapExchange.packets(p));
    }
    assertThat(read).hasSize(kept.size());
    for (int i = 0; i < kept.size(); i++) {
      PcapExchange.Packet r = read.get(i);
      PacketRing.Packet k = kept.get(i).packet();
      assertThat(r.hop()).isEqualTo(kept.get(i).hop());
      assertThat(r.tsNanos()).isEqualTo(k.tsNanos());
      assertThat(r.wireLength()).isEqualTo(k.wireLength());
      assertThat(r.linkType()).isEqualTo(k.linkType());
      assertThat(r.data()).isEqualTo(k.data());
    }
  }

  @Test
  void nothingKeptIsOneEmptyLastPartAndAPacketLargerThanAPartGoesAlone() {
    List<PcapAnswer> none = PcapExchange.answer("r-1", "node-b", "s-2", List.of());
    assertThat(none).hasSize(1);
    assertThat(none.get(0).getLast()).isTrue();
    assertThat(none.get(0).getPackets()).isEmpty();

    byte[] big = new byte[5000];
    List<HopRings.Kept> kept =
        List.of(
            new HopRings.Kept(POD, 0, new PacketRing.Packet(1, 1, 5000, big)),
            new HopRings.Kept(POD, 0, new PacketRing.Packet(2, 1, 5000, big)));
    List<PcapAnswer> parts = PcapExchange.answer("r-1", "node-b", "s-2", kept, 1024);
    assertThat(parts).hasSize(2).allSatisfy(p -> assertThat(p.getPackets()).hasSize(1));
  }

  @Test
  void aPacketNamingAHopThePartDoesNotListIsAnError() {
    PcapAnswer p =
        PcapExchange.answer(
                "r-1",
                "node-a",
                "s-1",
                List.of(new HopRings.Kept(POD, 0, new PacketRing.Packet(1, 1, 3, new byte[3]))))
            .get(0);
    p.getPackets().get(0).setHop(3);
    assertThatThrownBy(() -> PcapExchange.packets(p))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("node-a part 0: packet names hop 3 of 1");
  }
}
