package io.hoptrace.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.capture.CaptureFileReader;
import io.hoptrace.capture.CaptureInterface;
import io.hoptrace.capture.HopContext;
import io.hoptrace.capture.HopPcapngWriter;
import io.hoptrace.capture.PacketHandler;
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
    HopRings rings = new HopRings(bytesPerHop, 60_000_000_000L);
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
    assertThatThrownBy(() -> new HopRings(10, 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
