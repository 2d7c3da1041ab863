package io.hoptrace.detect;

import static io.hoptrace.lab.Lab.*;
import static io.hoptrace.lab.Pkt.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.detect.state.Codec;
import io.hoptrace.lab.CoreHarness;
import io.hoptrace.lab.Lab;
import io.hoptrace.lab.Scenarios;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodecRoundTripTest {
  /** Memory-only state of a conversation (its cached path plans), rebuilt after a restore. */
  private static final String NOT_PERSISTED = "plans";

  private static <T> void roundTrips(Codec<T> codec, T value) {
    byte[] once = codec.encode(value);
    byte[] twice = codec.encode(codec.decode(once));
    assertThat(twice).isEqualTo(once);
  }

  @Test
  void conversationCodecIsLosslessOnTheDetectorsOwnObjects() {
    Lab lab = new Lab();
    // object stores: the conversations below never went through the codec
    try (CoreHarness h =
        new CoreHarness(DetectionConfig.defaults(), FlowStores.inMemoryObjects())) {
      h.nodes(Lab.inventory());
      Scenarios.dualIp(h, lab, 0);
      h.send(lab.over(dnsQuery(POD_A, 33000, "10.244.1.10", 7), sec(0.5), A_TO_B.subList(0, 5)));
      Scenarios.healthy(h, lab, 41000, 1.0);
      h.idle(2_500_000_000L);
      List<Conversation> convs = new ArrayList<>();
      h.stores().conversations().forEach((k, c) -> convs.add(c));
      assertThat(convs).hasSizeGreaterThan(2);
      int windows = 0;
      int rings = 0;
      for (Conversation c : convs) {
        for (HopSlot s : c.slots) {
          for (HopDir d : s.dir) {
            windows += d.segWin.cur > 0 ? 1 : 0;
            for (long fp : d.ringFp) {
              rings += fp != 0 ? 1 : 0;
            }
          }
        }
      }
      // the data exercises the compact parts of the encoding
      assertThat(windows).isPositive();
      assertThat(rings).isPositive();
      for (Conversation c : convs) {
        assertThat(Codecs.conversation().decode(Codecs.conversation().encode(c)))
            .usingRecursiveComparison()
            .ignoringFields(NOT_PERSISTED)
            .isEqualTo(c);
      }
    }
  }

  @Test
  void everyStateTypeRoundTripsThroughItsCodec() {
    Lab lab = new Lab();
    try (CoreHarness h = new CoreHarness()) {
      h.nodes(Lab.inventory());
      Scenarios.dualIp(h, lab, 0);
      h.send(lab.over(dnsQuery(POD_A, 33000, "10.244.1.10", 7), sec(0.5), A_TO_B.subList(0, 5)));
      h.idle(2_500_000_000L);
      List<Conversation> convs = new ArrayList<>();
      h.stores().conversations().forEach((k, c) -> convs.add(c));
      assertThat(convs).isNotEmpty();
      assertThat(convs).anySatisfy(c -> assertThat(c.slots).hasSizeGreaterThan(5));
      convs.forEach(c -> roundTrips(Codecs.conversation(), c));
      List<Aggregate> aggs = new ArrayList<>();
      h.aggregates().forEach((k, a) -> aggs.add(a));
      assertThat(aggs).isNotEmpty();
      aggs.forEach(a -> roundTrips(Codecs.aggregate(), a));
      h.stores().fingerprints().forEach((k, e) -> roundTrips(Codecs.fingerprintEntry(), e));
      h.stores().hops().forEach((k, e) -> roundTrips(Codecs.hopInfo(), e));
      assertThat(h.alerts()).isNotEmpty();
      h.alerts()
          .forEach(a -> roundTrips(Codecs.finding(), new Finding("k", Finding.Kind.STATE, "m", a)));
    }
  }

  @Test
  void findingKeepsItsStampAndAVersionOneFindingIsMadeAtItsLastSeen() {
    io.hoptrace.schema.Alert a =
        Alerts.build(
            io.hoptrace.schema.AlertType.DNS_FAILURE,
            io.hoptrace.schema.AlertStatus.FIRING,
            io.hoptrace.schema.AlertSubject.newBuilder().setKind("RESOLVER").build(),
            null,
            1,
            "hint",
            41,
            42,
            List.of(),
            List.of(),
            java.util.Map.of(),
            java.util.Map.of(),
            List.of());
    Finding stamped = new Finding("DNS|r", Finding.Kind.EVENT, "client", a).stamped(45, 7);
    Finding back = Codecs.finding().decode(Codecs.finding().encode(stamped));
    assertThat(back.asOf()).isEqualTo(45);
    assertThat(back.seq()).isEqualTo(7);
    io.hoptrace.detect.state.ByteWriter v1 = new io.hoptrace.detect.state.ByteWriter(64);
    v1.u8(1).str("DNS|r").u8(StateCodes.kind(Finding.Kind.EVENT)).str("client");
    AlertCodec.write(v1, a);
    Finding old = Codecs.finding().decode(v1.toBytes());
    assertThat(old.key()).isEqualTo("DNS|r");
    assertThat(old.member()).isEqualTo("client");
    assertThat(old.asOf()).isEqualTo(42);
    assertThat(old.seq()).isZero();
  }

  @Test
  void stateWrittenByVersionOneStillRestores() throws Exception {
    List<String> lines =
        java.nio.file.Files.readAllLines(
            java.nio.file.Path.of(
                CodecRoundTripTest.class.getResource("/state/conversations-v1.tsv").toURI()));
    int read = 0;
    for (String line : lines) {
      if (line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t");
      byte[] v1 = java.util.HexFormat.of().parseHex(f[5]);
      assertThat(v1[0]).isEqualTo((byte) 1);
      Conversation c = Codecs.conversation().decode(v1);
      assertThat(c.id).isEqualTo(f[0]);
      assertThat(c.slots).hasSize(Integer.parseInt(f[1]));
      long packets = 0;
      for (HopSlot s : c.slots) {
        packets += s.dir[0].packets + s.dir[1].packets;
      }
      assertThat(packets).isEqualTo(Long.parseLong(f[2]));
      assertThat(c.firstSeen).isEqualTo(Long.parseLong(f[3]));
      assertThat(c.lastSeen).isEqualTo(Long.parseLong(f[4]));
      // rewritten in the current version, smaller, and lossless from there on
      byte[] v2 = Codecs.conversation().encode(c);
      assertThat(v2[0]).isEqualTo((byte) 2);
      assertThat(v2.length).isLessThan(v1.length);
      assertThat(Codecs.conversation().decode(v2))
          .usingRecursiveComparison()
          .ignoringFields(NOT_PERSISTED)
          .isEqualTo(c);
      read++;
    }
    assertThat(read).isEqualTo(2);
  }

  @Test
  void dropNotesRoundTripWithTheTimesTheirAgingNeeds() {
    Conversation c = new Conversation();
    c.id = "1|10.244.0.2|4242|10.244.1.2|0";
    long t0 = 1_700_000_000_000_000_000L;
    c.drops.add(DropNotesTest.drop("node-b/ens33", 12, 4, t0));
    c.drops.add(DropNotesTest.drop("node-b/eth0", 3, 1, t0 + 5_000_000_000L));
    byte[] b = Codecs.conversation().encode(c);
    Conversation back = Codecs.conversation().decode(b);
    assertThat(back).usingRecursiveComparison().ignoringFields(NOT_PERSISTED).isEqualTo(c);
    assertThat(back.drops.notes())
        .extracting(n -> n.lastTs)
        .containsExactly(t0 + 1_000_000_000L, t0 + 6_000_000_000L);
    roundTrips(Codecs.conversation(), c);
    // aged after the restore as before it
    back.drops.forgetBefore(t0 + 2_000_000_000L);
    assertThat(back.drops.notes()).extracting(n -> n.hop).containsExactly("node-b/eth0");
  }

  @Test
  void truncatedStateIsAClearError() {
    Conversation c = new Conversation();
    c.id = "6|10.0.0.1|1|10.0.0.2|2";
    byte[] b = Codecs.conversation().encode(c);
    byte[] cut = java.util.Arrays.copyOf(b, b.length / 2);
    assertThatThrownBy(() -> Codecs.conversation().decode(cut))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("truncated");
  }
}
