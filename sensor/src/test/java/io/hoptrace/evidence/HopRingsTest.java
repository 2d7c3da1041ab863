package io.hoptrace.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.capture.CaptureFileReader;
import io.hoptrace.capture.CaptureInterface;
import io.hoptrace.capture.HopContext;
import io.hoptrace.capture.HopPcapngWriter;
import io.hoptrace.capture.PacketHandler;
import io.hoptrace.capture.PacketRing;
import io.hoptrace.decode.DecoderConfig;
import io.hoptrace.decode.PacketSummarizer;
import io.hoptrace.schema.InterfaceRole;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link HopRings} fed with the vxlan-blocked recording's captures of three hops (the pod, node-a's
 * uplink, node-b's uplink), as a sensor's capture threads would feed them, then asked for the TCP
 * flow: one pcapng with one interface per hop, the flow's packets only, encapsulated ones included.
 */
class HopRingsTest {
  private static final Path SCENARIO = Path.of("../deploy/lab/recordings/vxlan-blocked");
  private static final String TCP = "6|10.244.0.2|40011|10.244.1.2|8080";
  private static final List<HopContext> HOPS =
      List.of(
          new HopContext("node-a", "pod-a1", "eth0", InterfaceRole.POD),
          new HopContext("node-a", null, "ens33", InterfaceRole.UPLINK),
          new HopContext("node-b", null, "ens33", InterfaceRole.UPLINK));
  private static final List<String> FILES =
      List.of("node-a.pod-a1.eth0.pcap", "node-a.ens33.pcap", "node-b.ens33.pcap");

  @TempDir Path tmp;

  /** Packets per hop id whose decoder key is {@code key}, straight from the captures. */
  private static Map<String, Long> inCaptures(String key) throws Exception {
    Map<String, Long> out = new LinkedHashMap<>();
    PacketSummarizer s = new PacketSummarizer(DecoderConfig.defaults());
    for (int i = 0; i < HOPS.size(); i++) {
      try (CaptureFileReader r =
          CaptureFileReader.open(SCENARIO.resolve(FILES.get(i)), HOPS.get(i))) {
        r.read(
            (hop, lt, buf, off, cap, wire, ts) -> {
              s.summarize(hop, lt, buf, off, cap, wire, ts);
              if (key.equals(s.key())) {
                out.merge(hop.id(), 1L, Long::sum);
              }
            });
      }
    }
    return out;
  }

  private static HopRings fill(int bytesPerHop) throws Exception {
    HopRings rings = new HopRings(3L * bytesPerHop, 60_000_000_000L, 128);
    PacketHandler sink = (hop, lt, buf, off, cap, wire, ts) -> {};
    for (int i = 0; i < HOPS.size(); i++) {
      try (CaptureFileReader r =
          CaptureFileReader.open(SCENARIO.resolve(FILES.get(i)), HOPS.get(i))) {
        r.read(rings.tee(sink));
      }
    }
    return rings;
  }

  @Test
  void writesTheSelectedFlowFromEveryHopInTimeOrder() throws Exception {
    HopRings rings = fill(1 << 16);
    assertThat(rings.hops()).isEqualTo(3);
    Path file = tmp.resolve("tcp.pcapng");
    long n;
    try (HopPcapngWriter w = HopPcapngWriter.create(file)) {
      n =
          rings.write(
              new PacketSelection().add(TCP, Long.MIN_VALUE, Long.MAX_VALUE),
              DecoderConfig.defaults(),
              w);
    }
    Map<String, Long> expected = inCaptures(TCP);
    assertThat(expected).hasSize(3).allSatisfy((hop, count) -> assertThat(count).isEqualTo(3));

    Map<String, Long> perHop = new LinkedHashMap<>();
    List<Long> times = new ArrayList<>();
    List<CaptureInterface> interfaces;
    try (CaptureFileReader r =
        CaptureFileReader.open(
            file,
            HOPS.get(0),
            i -> new HopContext("x", null, i.name() + "=" + i.description(), InterfaceRole.ANY))) {
      r.read(
          (hop, lt, buf, off, cap, wire, ts) -> {
            perHop.merge(hop.iface().substring(0, hop.iface().indexOf('=')), 1L, Long::sum);
            times.add(ts);
          });
      interfaces = r.interfaces();
    }
    assertThat(n).isEqualTo(9);
    assertThat(perHop).isEqualTo(expected);
    assertThat(times).isSorted();
    assertThat(interfaces)
        .extracting(CaptureInterface::description)
        .containsExactly("POD", "UPLINK", "UPLINK");
  }

  @Test
  void aSmallRingKeepsTheNewestPacketsOfEachHop() throws Exception {
    HopRings rings = fill(512);
    for (int i = 0; i < HOPS.size(); i++) {
      List<Long> all = new ArrayList<>();
      try (CaptureFileReader r =
          CaptureFileReader.open(SCENARIO.resolve(FILES.get(i)), HOPS.get(i))) {
        r.read((hop, lt, buf, off, cap, wire, ts) -> all.add(ts));
      }
      List<Long> kept = rings.ring(HOPS.get(i)).snapshot().stream().map(p -> p.tsNanos()).toList();
      assertThat(kept.size()).isPositive().isLessThan(all.size());
      assertThat(kept).isEqualTo(all.subList(all.size() - kept.size(), all.size()));
    }
    assertThatThrownBy(() -> new HopRings(1 << 20, 1, 32))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void feed(PacketHandler h, HopContext hop, long ts, int len) {
    byte[] b = new byte[len];
    h.onPacket(hop, 1, new org.agrona.concurrent.UnsafeBuffer(b), 0, len, len, ts);
  }

  @Test
  void theRingsStayWithinTheSensorsBoundAsHopsComeAndTheIdlestHopMakesRoom() {
    long total = 64 * 1024;
    HopRings rings = new HopRings(total, 60_000_000_000L, 8 * 1024); // at most 8 hops
    PacketHandler keep = rings.keeper();
    List<HopContext> hops = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      hops.add(new HopContext("node-a", null, "veth" + i, InterfaceRole.VETH));
    }
    long ts = 0;
    for (int i = 0; i < hops.size(); i++) {
      // hop i comes; hop 1 keeps busy all along, the others fall idle once the next one comes
      for (int round = 0; round < 300; round++) {
        feed(keep, hops.get(i), ++ts, 200);
        if (i > 1) {
          feed(keep, hops.get(1), ++ts, 200);
        }
      }
      assertThat(rings.capacityBytes()).as("after %d hops", i + 1).isLessThanOrEqualTo(total);
      assertThat(rings.hops()).isEqualTo(Math.min(i + 1, 8));
      assertThat(rings.packets()).isPositive();
    }
    // with 8 hops each has an eighth of the bound (less the room of its array header)
    assertThat(rings.capacityBytes()).isEqualTo(total - 8 * HopRings.ARRAY_SLACK);
    // hops 8..11 took the rings of the idlest: 0, 2, 3, 4 (not the busy hop 1)
    assertThat(rings.hopIds())
        .containsExactlyInAnyOrder(
            hops.get(1).id(),
            hops.get(5).id(),
            hops.get(6).id(),
            hops.get(7).id(),
            hops.get(8).id(),
            hops.get(9).id(),
            hops.get(10).id(),
            hops.get(11).id());
    List<Long> newest = rings.ring(hops.get(1)).snapshot().stream().map(p -> p.tsNanos()).toList();
    assertThat(newest).isSorted().last().isEqualTo(ts);

    // a keeper holding a ring that another hop then takes moves to a new ring for its hop
    PacketHandler other = rings.keeper();
    feed(other, hops.get(5), 1, 100); // an old packet: hop 5 stays the idlest
    PacketRing retired = rings.ring(hops.get(5));
    feed(keep, new HopContext("node-a", null, "veth12", InterfaceRole.VETH), ++ts, 100);
    assertThat(rings.hopIds()).doesNotContain(hops.get(5).id());
    // the keeper still holds hop 5's old ring, whose arena went back: the bound holds
    assertThat(retired.capacityBytes()).isEqualTo(64);
    feed(other, hops.get(5), ++ts, 100);
    assertThat(rings.hopIds()).contains(hops.get(5).id()).doesNotContain(hops.get(6).id());
    assertThat(rings.ring(hops.get(5)).snapshot()).extracting(p -> p.tsNanos()).containsExactly(ts);
    assertThat(rings.hops()).isEqualTo(8);
    assertThat(rings.capacityBytes()).isLessThanOrEqualTo(total);
  }

  @Test
  void aNodeOf110QuietPodsKeepsARingPerHopInAFewKilobytesEach() {
    HopRings rings = new HopRings(64L << 20, 60_000_000_000L); // the live default
    PacketHandler keep = rings.keeper();
    List<HopContext> hops = new ArrayList<>();
    hops.add(new HopContext("node-m", null, "cni0", InterfaceRole.BRIDGE));
    for (int i = 1; i <= 110; i++) {
      hops.add(new HopContext("node-m", null, "veth" + i, InterfaceRole.VETH));
      hops.add(new HopContext("node-m", "p" + i, "eth0", InterfaceRole.POD));
    }
    long ts = 0;
    // broadcasts reaching every hop (ARP, neighbour discovery), 30 of them
    for (int b = 0; b < 30; b++) {
      ts += 1_000_000_000L;
      for (HopContext h : hops) {
        feed(keep, h, ts, 90);
      }
    }
    assertThat(rings.hops()).isEqualTo(221);
    assertThat(rings.packets()).isEqualTo(221 * 30);
    // 30 records of 112 bytes (3 360) fit in each ring's first arena: nothing grew
    assertThat(rings.capacityBytes()).isEqualTo(221L * HopRings.INITIAL_RING_BYTES);
    for (HopContext h : hops) {
      assertThat(rings.ring(h).limitBytes()).isGreaterThanOrEqualTo(HopRings.MIN_RING_BYTES);
    }
  }
}
