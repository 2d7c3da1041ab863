package io.hoptrace.streams;

import static io.hoptrace.lab.Lab.*;
import static io.hoptrace.lab.Pkt.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.lab.CoreHarness;
import io.hoptrace.lab.Lab;
import io.hoptrace.lab.Pkt;
import io.hoptrace.lab.TopologyHarness;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.AlertType;
import io.hoptrace.schema.FiveTuple;
import io.hoptrace.schema.FlowRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestartTest {
  final Lab lab = new Lab();

  private void firstHalf(io.hoptrace.lab.Harness h) {
    h.nodes(Lab.inventory());
    for (double t : new double[] {0, 1, 3}) {
      h.send(lab.over(tcp(POD_A, 40070, POD_B, 80, SYN, 100, 0, 0), sec(t), A_TO_B.subList(0, 5)));
    }
    h.idle(3_000_000_000L);
  }

  private void secondHalf(io.hoptrace.lab.Harness h) {
    h.send(lab.over(tcp(POD_A, 40070, POD_B, 80, SYN, 100, 0, 0), sec(7), A_TO_B.subList(0, 5)));
    h.idle(12_000_000_000L);
  }

  /**
   * TopologyTestDriver wipes its state directory on close, so the "restart" reopens on a copy of
   * the directory taken after the last commit: the restored RocksDB stores, as a restarted job
   * finds them (or restores them from the changelogs).
   */
  @Test
  void restartOnTheSameStateGivesNoDuplicateAlert(@TempDir Path dir) throws IOException {
    Path first = dir.resolve("first");
    Path copy = dir.resolve("copy");
    List<Alert> all = new ArrayList<>();
    try (TopologyHarness h = new TopologyHarness(first)) {
      firstHalf(h);
      assertThat(h.firing(AlertType.ONE_WAY)).hasSize(1);
      copyTree(first, copy);
      h.stop();
      all.addAll(h.alerts());
    }
    try (TopologyHarness h = new TopologyHarness(copy)) {
      secondHalf(h);
      all.addAll(h.alerts());
    }
    assertThat(all)
        .filteredOn(a -> a.getType() == AlertType.ONE_WAY)
        .extracting(Alert::getStatus)
        .containsExactly(AlertStatus.FIRING);
  }

  @Test
  void coreStateIsEntirelyInItsStores() {
    // one uninterrupted run, and a run where the detector objects are recreated mid-way over
    // the same stores: identical alerts
    List<Alert> straight;
    try (CoreHarness h = new CoreHarness()) {
      firstHalf(h);
      secondHalf(h);
      h.finish();
      straight = h.alerts();
    }
    try (CoreHarness h = new CoreHarness()) {
      firstHalf(h);
      h.restart();
      secondHalf(h);
      h.finish();
      assertThat(h.alerts()).isEqualTo(straight);
    }
    assertThat(straight)
        .extracting(Alert::getStatus)
        .containsExactly(AlertStatus.FIRING, AlertStatus.RESOLVED);
  }

  /**
   * The index of deadlines by time is kept in memory and rebuilt from the restored conversations:
   * an unanswered SYN whose job restarts before its one-way window ends still alerts when the
   * window ends, with no further packet to wake its conversation.
   */
  @Test
  void timersSurviveARestartOfASilentConversation(@TempDir Path dir) throws IOException {
    Path first = dir.resolve("first");
    Path copy = dir.resolve("copy");
    try (TopologyHarness h = new TopologyHarness(first)) {
      h.nodes(Lab.inventory());
      h.send(lab.over(tcp(POD_A, 40071, POD_B, 80, SYN, 100, 0, 0), sec(0), A_TO_B.subList(0, 5)));
      h.idle(1_000_000_000L);
      assertThat(h.alerts()).isEmpty();
      copyTree(first, copy);
      h.stop();
    }
    try (TopologyHarness h = new TopologyHarness(copy)) {
      // the restarted job's wall clock runs on from its first record: one record of another node
      h.send(List.of(lab.at(udp(POD_B, 5353, POD_A, 5354, 10), sec(1.5), B_POD)));
      h.idle(14_000_000_000L);
      assertThat(h.firing(AlertType.ONE_WAY))
          .extracting(Alert::getSubject)
          .anyMatch(s -> s.getSport() == 40071 && s.getDport() == 80);
    }
  }

  /**
   * The NAT fingerprint index is kept in memory and rebuilt from the restored conversations: a
   * restart between a packet's pre-NAT sighting (the NodePort on node-b's uplink) and its post-NAT
   * sightings (DNAT + MASQUERADE, over VXLAN to pod-a1) still stitches one conversation.
   */
  @Test
  void natLinkSurvivesARestartBetweenTheTwoSightingsOfOnePacket(@TempDir Path dir)
      throws IOException {
    Path first = dir.resolve("first");
    Path copy = dir.resolve("copy");
    String client = "192.168.232.1";
    String masq = "10.244.1.0";
    Pkt syn = tcp(client, 50000, B_IP, 30080, SYN, 100, 0, 0);
    Pkt inside = syn.natted(masq, 61000, POD_A, 8080);
    try (TopologyHarness h = new TopologyHarness(first)) {
      h.nodes(Lab.inventory());
      h.send(List.of(lab.at(syn, sec(0), B_UP)));
      copyTree(first, copy);
      h.stop();
    }
    try (TopologyHarness h = new TopologyHarness(copy)) {
      h.send(
          lab.over(
              inside, sec(0) + 10_000, List.of(B_VTEP, B_UP, A_UP, A_VTEP, A_CNI, A_VETH, A_POD)));
      Pkt synAck = tcp(POD_A, 8080, masq, 61000, SYN | ACK, 900, 101, 0);
      h.send(
          lab.over(synAck, sec(0.001), List.of(A_POD, A_VETH, A_CNI, A_VTEP, A_UP, B_UP, B_VTEP)));
      h.send(
          List.of(
              lab.at(
                  tcp(B_IP, 30080, client, 50000, SYN | ACK, 900, 101, 0),
                  sec(0.001) + 200_000,
                  B_UP)));
      h.finish();
      List<FlowRecord> flows = h.finalFlows();
      assertThat(flows).hasSize(1);
      assertThat(flows.get(0).getTuples())
          .extracting(FiveTuple::getSrc)
          .containsExactly(client, masq);
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else if (!p.getFileName().toString().equals(".lock")) {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
