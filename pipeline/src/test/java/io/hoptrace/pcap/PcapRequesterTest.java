package io.hoptrace.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.capture.CaptureFileReader;
import io.hoptrace.capture.CaptureInterface;
import io.hoptrace.capture.HopContext;
import io.hoptrace.capture.PacketRing;
import io.hoptrace.evidence.HopRings;
import io.hoptrace.evidence.PcapExchange;
import io.hoptrace.schema.InterfaceRole;
import io.hoptrace.schema.PcapAnswer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PcapRequester}'s merge of the sensors' answers (no Kafka): parts in any order, two
 * sensors' packets interleaved by capture time in one pcapng with one interface per hop, a node
 * without a complete answer named.
 */
class PcapRequesterTest {
  private static final HopContext A_POD =
      new HopContext("node-a", "pod-a1", "eth0", InterfaceRole.POD);
  private static final HopContext A_UPLINK =
      new HopContext("node-a", null, "ens33", InterfaceRole.UPLINK);
  private static final HopContext B_UPLINK =
      new HopContext("node-b", null, "ens33", InterfaceRole.UPLINK);

  @TempDir Path tmp;

  private static HopRings.Kept kept(HopContext hop, long ts) {
    byte[] data = new byte[60];
    data[0] = (byte) ts;
    return new HopRings.Kept(hop, 0, new PacketRing.Packet(ts, 1, 60, data));
  }

  /**
   * The answers to the request made when the incident opened and to this one, from the same sensor:
   * the packets both hold are written once, what only the first holds (rings moved on) is kept.
   */
  @Test
  void anEarlierRequestsAnswersAreMergedWithoutDuplicates() throws Exception {
    List<PcapAnswer> atOpen =
        PcapExchange.answer(
            "incident-i1", "node-a", "sa", List.of(kept(A_POD, 10), kept(A_UPLINK, 12)));
    List<PcapAnswer> now =
        PcapExchange.answer("r", "node-a", "sa", List.of(kept(A_UPLINK, 12), kept(A_POD, 30)));
    List<PcapAnswer> received = new ArrayList<>(now);
    received.addAll(atOpen);

    PcapRequester.Result r =
        PcapRequester.write(received, Set.of("node-a"), tmp.resolve("merged.pcapng"));

    assertThat(r.packets()).isEqualTo(3);
    assertThat(r.packetsPerNode()).containsExactly(java.util.Map.entry("node-a", 3L));
    assertThat(r.silentNodes()).isEmpty();
    assertThat(r.packetsPerHop())
        .containsEntry("node-a/pod-a1/eth0", 2L)
        .containsEntry("node-a/ens33", 1L);
  }

  @Test
  void answersOfTwoSensorsBecomeOneFileInTimeOrderWithOneInterfacePerHop() throws Exception {
    List<PcapAnswer> a =
        PcapExchange.answer(
            "r", "node-a", "sa", List.of(kept(A_POD, 10), kept(A_UPLINK, 12), kept(A_POD, 30)));
    List<PcapAnswer> b =
        PcapExchange.answer("r", "node-b", "sb", List.of(kept(B_UPLINK, 13), kept(B_UPLINK, 20)));
    assertThat(a).hasSize(1);
    List<PcapAnswer> received = new ArrayList<>(b);
    received.addAll(a);
    Path out = tmp.resolve("x.pcapng");

    PcapRequester.Result r =
        PcapRequester.write(received, Set.of("node-a", "node-b", "node-c"), out);

    assertThat(r.packets()).isEqualTo(5);
    assertThat(r.packetsPerNode()).containsEntry("node-a", 3L).containsEntry("node-b", 2L);
    assertThat(r.silentNodes()).containsExactly("node-c");
    List<Long> times = new ArrayList<>();
    List<String> hops = new ArrayList<>();
    List<CaptureInterface> interfaces;
    try (CaptureFileReader reader =
        CaptureFileReader.open(
            out, A_POD, i -> new HopContext("x", null, i.name(), InterfaceRole.ANY))) {
      reader.read(
          (hop, lt, buf, off, cap, wire, ts) -> {
            times.add(ts);
            hops.add(hop.iface());
          });
      interfaces = reader.interfaces();
    }
    assertThat(times).containsExactly(10L, 12L, 13L, 20L, 30L);
    assertThat(hops)
        .containsExactly(
            "node-a/pod-a1/eth0",
            "node-a/ens33",
            "node-b/ens33",
            "node-b/ens33",
            "node-a/pod-a1/eth0");
    assertThat(interfaces)
        .extracting(CaptureInterface::description)
        .containsExactly("POD", "UPLINK", "UPLINK");
  }

  @Test
  void aSensorWithoutItsLastPartIsNamedButItsPartsAreWritten() throws Exception {
    List<HopRings.Kept> many = new ArrayList<>();
    for (int i = 0; i < 40_000; i++) {
      many.add(kept(A_UPLINK, i));
    }
    List<PcapAnswer> parts = PcapExchange.answer("r", "node-a", "sa", many);
    assertThat(parts.size()).isGreaterThan(2);
    List<PcapAnswer> received = new ArrayList<>(parts.subList(0, parts.size() - 1));
    java.util.Collections.reverse(received);

    PcapRequester.Result r =
        PcapRequester.write(received, Set.of("node-a"), tmp.resolve("y.pcapng"));

    assertThat(r.silentNodes()).containsExactly("node-a");
    long expected =
        parts.subList(0, parts.size() - 1).stream().mapToLong(p -> p.getPackets().size()).sum();
    assertThat(r.packets()).isEqualTo(expected);
    assertThat(r.packetsPerHop()).containsExactly(java.util.Map.entry("node-a/ens33", expected));
  }
}
