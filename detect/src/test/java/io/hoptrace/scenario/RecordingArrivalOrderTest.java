package io.hoptrace.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hoptrace.capture.CaptureFileReader;
import io.hoptrace.capture.HopContext;
import io.hoptrace.decode.DecodedPacket;
import io.hoptrace.decode.DecoderConfig;
import io.hoptrace.decode.PacketDecoder;
import io.hoptrace.decode.SummaryMapper;
import io.hoptrace.lab.CoreHarness;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.FdbEntry;
import io.hoptrace.schema.FiveTuple;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.InterfaceInfo;
import io.hoptrace.schema.InterfaceRole;
import io.hoptrace.schema.NodeInventory;
import io.hoptrace.schema.PacketSummary;
import io.hoptrace.schema.VtepInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The lab's healthy recording (deploy/lab/recordings/healthy: pings, TCP both ways and a ClusterIP
 * call DNAT-ed on node-a) replayed through the core in the orders live sensors can deliver it: in
 * time order, hop by hop in manifest order, hop by hop uplinks first and pods last (the order that
 * raised a false ONE_WAY on the ClusterIP call), and the reverse. Its truth: no alert.
 */
class RecordingArrivalOrderTest {
  static final Path DIR = Path.of("..", "deploy", "lab", "recordings", "healthy");
  static List<NodeInventory> nodes;

  /** Each hop's summaries, in manifest order, each in capture order. */
  static List<List<PacketSummary>> hops;

  @BeforeAll
  static void read() throws IOException {
    JsonNode m = new ObjectMapper().readTree(DIR.resolve("manifest.json").toFile());
    hops = new ArrayList<>();
    List<HopContext> contexts = new ArrayList<>();
    for (JsonNode h : m.get("hops")) {
      HopContext ctx =
          new HopContext(
              h.get("node").asText(),
              h.hasNonNull("pod") ? h.get("pod").asText() : null,
              h.get("iface").asText(),
              InterfaceRole.valueOf(h.get("role").asText()));
      contexts.add(ctx);
      hops.add(read(DIR.resolve(h.get("file").asText()), ctx));
    }
    nodes = new ArrayList<>();
    for (JsonNode n : m.get("nodes")) {
      String name = n.get("name").asText();
      List<InterfaceInfo> ifaces = new ArrayList<>();
      for (HopContext c : contexts) {
        if (c.node().equals(name)) {
          ifaces.add(
              InterfaceInfo.newBuilder()
                  .setName(c.iface())
                  .setRole(c.role())
                  .setPod(c.pod())
                  .build());
        }
      }
      List<VtepInfo> vteps = new ArrayList<>();
      for (JsonNode v : n.get("vteps")) {
        List<FdbEntry> fdb = new ArrayList<>();
        for (JsonNode f : v.get("fdb")) {
          fdb.add(
              FdbEntry.newBuilder()
                  .setMac(f.get("mac").asText())
                  .setDst(f.get("dst").asText())
                  .build());
        }
        vteps.add(
            VtepInfo.newBuilder()
                .setDevice(v.get("device").asText())
                .setVni(v.get("vni").asInt())
                .setLocal(v.get("local").asText())
                .setPort(v.get("port").asInt())
                .setFdb(fdb)
                .build());
      }
      List<String> addresses = new ArrayList<>();
      n.get("addresses").forEach(a -> addresses.add(a.asText()));
      nodes.add(
          NodeInventory.newBuilder()
              .setNode(name)
              .setTsNanos(1)
              .setAddresses(addresses)
              .setPodCidr(n.get("podCidr").asText())
              .setInterfaces(ifaces)
              .setVteps(vteps)
              .build());
    }
  }

  private static List<PacketSummary> read(Path file, HopContext hop) throws IOException {
    List<PacketSummary> out = new ArrayList<>();
    PacketDecoder decoder = new PacketDecoder(DecoderConfig.defaults());
    DecodedPacket packet = new DecodedPacket();
    try (CaptureFileReader r = CaptureFileReader.open(file, hop)) {
      r.read(
          (ctx, linkType, buf, off, caplen, wirelen, ts) -> {
            decoder.decode(linkType, buf, off, caplen, wirelen, packet);
            out.add(SummaryMapper.toAvro(ctx, ts, caplen, wirelen, packet));
          });
    } catch (io.hoptrace.capture.CaptureFileException e) {
      throw new IOException(e);
    }
    return out;
  }

  private static int roleRank(List<PacketSummary> hop) {
    return switch (hop.get(0).getRole()) {
      case UPLINK -> 0;
      case VTEP, TUNNEL -> 1;
      case BRIDGE -> 2;
      case VETH -> 3;
      default -> 4;
    };
  }

  private static List<PacketSummary> arrival(String order) {
    List<List<PacketSummary>> hs = new ArrayList<>();
    hops.stream().filter(h -> !h.isEmpty()).forEach(hs::add);
    List<PacketSummary> out = new ArrayList<>();
    switch (order) {
      case "time" -> {
        hs.forEach(out::addAll);
        out.sort(Comparator.comparingLong(PacketSummary::getTsNanos));
      }
      case "manifest" -> hs.forEach(out::addAll);
      case "uplinks-first" -> {
        hs.sort(Comparator.comparingInt(RecordingArrivalOrderTest::roleRank));
        hs.forEach(out::addAll);
      }
      case "pods-first" -> {
        hs.sort(Comparator.comparingInt(RecordingArrivalOrderTest::roleRank).reversed());
        hs.forEach(out::addAll);
      }
      default -> {
        Collections.shuffle(hs, new Random(Long.parseLong(order)));
        hs.forEach(out::addAll);
      }
    }
    return out;
  }

  private static List<String> outcome(CoreHarness h) {
    List<String> out = new ArrayList<>();
    for (FlowRecord f : h.finalFlows()) {
      out.add(
          f.getVerdict()
              + " "
              + f.getTuples().stream()
                  .map(
                      t -> t.getSrc() + ":" + t.getSport() + "->" + t.getDst() + ":" + t.getDport())
                  .collect(Collectors.toList())
              + " "
              + f.getHops().stream()
                  .map(s -> s.getHop() + ":" + s.getFwdPackets() + "/" + s.getRevPackets())
                  .collect(Collectors.toList()));
    }
    Collections.sort(out);
    return out;
  }

  private static CoreHarness replay(String order) {
    CoreHarness h = new CoreHarness();
    h.nodes(nodes);
    h.send(arrival(order));
    h.finish();
    return h;
  }

  @ParameterizedTest
  @ValueSource(strings = {"time", "manifest", "uplinks-first", "pods-first", "3", "11", "97"})
  void healthyRecordingGivesNoAlertAndTheSameFlowsHopByHop(String order) {
    CoreHarness h = replay(order);
    assertThat(h.alerts()).extracting(Alert::getType).isEmpty();
    List<FlowRecord> clusterIp =
        h.finalFlows().stream()
            .filter(
                f -> f.getTuples().stream().map(FiveTuple::getDst).anyMatch("10.96.0.10"::equals))
            .collect(Collectors.toList());
    assertThat(clusterIp).hasSize(1);
    assertThat(clusterIp.get(0).getTuples()).hasSize(2);
    assertThat(clusterIp.get(0).getTuples().get(0).getDst()).isEqualTo("10.96.0.10");
    assertThat(clusterIp.get(0).getVerdict()).isEqualTo("OK");
    assertThat(outcome(h)).isEqualTo(outcome(replay("time")));
  }

  /**
   * The mtu-blackhole recording (pods at 1500 over flannel.1 at 1450, snap length 256) in capture
   * time order: MTU_BLACKHOLE between node-b/cni0 and node-b/flannel.1 stating the path MTU its
   * scenario configured (truth.json: 1450), never a size bounded by the snap length or by the small
   * packets that passed (it said 60 or 1252).
   */
  @ParameterizedTest
  @ValueSource(strings = {"time"})
  void mtuBlackholeRecordingStatesThePathMtuItsScenarioConfigured(String order) throws IOException {
    io.hoptrace.lab.Recording r = io.hoptrace.lab.Recording.read("mtu-blackhole");
    String pathMtu = r.truth().get("alerts").get(0).get("pathMtu").asText();
    List<List<PacketSummary>> hs = new ArrayList<>(r.hops());
    hs.removeIf(List::isEmpty);
    List<PacketSummary> in = new ArrayList<>();
    switch (order) {
      case "time" -> {
        hs.forEach(in::addAll);
        in.sort(Comparator.comparingLong(PacketSummary::getTsNanos));
      }
      case "manifest" -> hs.forEach(in::addAll);
      case "uplinks-first" -> {
        hs.sort(Comparator.comparingInt(RecordingArrivalOrderTest::roleRank));
        hs.forEach(in::addAll);
      }
      case "pods-first" -> {
        hs.sort(Comparator.comparingInt(RecordingArrivalOrderTest::roleRank).reversed());
        hs.forEach(in::addAll);
      }
      default -> {
        Collections.shuffle(hs, new Random(Long.parseLong(order)));
        hs.forEach(in::addAll);
      }
    }
    CoreHarness h = new CoreHarness();
    h.nodes(r.nodes());
    h.send(in);
    h.finish();
    List<Alert> mtu = h.firing(io.hoptrace.schema.AlertType.MTU_BLACKHOLE);
    assertThat(mtu).isNotEmpty();
    for (Alert a : mtu) {
      assertThat(a.getEvidence().getFacts()).containsEntry("pathMtu", pathMtu);
      assertThat(a.getHint()).contains("path MTU is " + pathMtu);
      assertThat(a.getLostAt().getAfter()).isEqualTo("node-b/cni0");
      assertThat(a.getLostAt().getBefore()).isEqualTo("node-b/flannel.1");
    }
  }
}
