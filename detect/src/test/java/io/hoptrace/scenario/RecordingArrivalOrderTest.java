package io.hoptrace.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.lab.CoreHarness;
import io.hoptrace.lab.Recordings;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.FiveTuple;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.NodeInventory;
import io.hoptrace.schema.PacketSummary;
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
    Recordings r = Recordings.read(DIR);
    nodes = r.nodes();
    hops = r.hops();
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
