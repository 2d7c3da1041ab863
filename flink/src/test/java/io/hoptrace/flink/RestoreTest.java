package io.hoptrace.flink;

import static io.hoptrace.lab.Lab.*;
import static io.hoptrace.lab.Pkt.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.lab.FlinkHarness;
import io.hoptrace.lab.Harness;
import io.hoptrace.lab.Lab;
import io.hoptrace.lab.Pkt;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.AlertType;
import io.hoptrace.schema.FiveTuple;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.PacketSummary;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Both stages restored from a checkpoint (operator snapshots: keyed state, the subtask's hops and
 * the broadcast inventory) continue exactly where they were: what the core keeps lives in Flink
 * state, nothing in the function objects.
 */
class RestoreTest {
  final Lab lab = new Lab();

  private void firstHalf(Harness h) {
    h.nodes(Lab.inventory());
    for (double t : new double[] {0, 1, 3}) {
      h.send(lab.over(tcp(POD_A, 40070, POD_B, 80, SYN, 100, 0, 0), sec(t), A_TO_B.subList(0, 5)));
    }
    h.idle(3_000_000_000L);
  }

  private void secondHalf(Harness h) {
    h.send(lab.over(tcp(POD_A, 40070, POD_B, 80, SYN, 100, 0, 0), sec(7), A_TO_B.subList(0, 5)));
    h.idle(12_000_000_000L);
  }

  @Test
  void restoredStagesGiveTheSameAlertsAndFlowsAsAnUninterruptedRun() throws Exception {
    List<Alert> straight;
    List<FlowRecord> straightFlows;
    try (FlinkHarness h = new FlinkHarness()) {
      firstHalf(h);
      secondHalf(h);
      h.finish();
      straight = List.copyOf(h.alerts());
      straightFlows = List.copyOf(h.finalFlows());
    }
    try (FlinkHarness h = new FlinkHarness()) {
      firstHalf(h);
      assertThat(h.firing(AlertType.ONE_WAY)).hasSize(1);
      h.stages().restore(h.stages().snapshot());
      secondHalf(h);
      h.finish();
      assertThat(h.alerts()).isEqualTo(straight);
      assertThat(h.finalFlows()).isEqualTo(straightFlows);
    }
    // the ONE_WAY alert fired once (not again after the restore) and resolved at the end
    assertThat(straight)
        .filteredOn(a -> a.getType() == AlertType.ONE_WAY)
        .extracting(Alert::getStatus)
        .containsExactly(AlertStatus.FIRING, AlertStatus.RESOLVED);
    assertThat(straightFlows).hasSize(1);
  }

  /**
   * The NAT fingerprint index is keyed state of the routing key: a restore between a packet's
   * pre-NAT sighting (the NodePort on node-b's uplink) and its post-NAT sightings (DNAT +
   * MASQUERADE, over VXLAN to pod-a1) still stitches one conversation.
   */
  @Test
  void natLinkSurvivesARestoreBetweenTheTwoSightingsOfOnePacket() throws Exception {
    String client = "192.168.232.1";
    String masq = "10.244.1.0";
    Pkt syn = tcp(client, 50000, B_IP, 30080, SYN, 100, 0, 0);
    Pkt inside = syn.natted(masq, 61000, POD_A, 8080);
    PacketSummary outside = lab.at(syn, sec(0), B_UP);
    List<PacketSummary> in =
        lab.over(
            inside, sec(0) + 10_000, List.of(B_VTEP, B_UP, A_UP, A_VTEP, A_CNI, A_VETH, A_POD));
    // the routing key a replay gives both tuples: the smaller flow key of the linked pair
    String route =
        outside.getFlowKey().compareTo(in.get(0).getFlowKey()) < 0
            ? outside.getFlowKey()
            : in.get(0).getFlowKey();
    try (StageHarness s = new StageHarness(DetectionConfig.defaults(), sec(0) / 1_000_000L)) {
      s.nodes(Lab.inventory());
      s.send(route, outside);
      s.restore(s.snapshot());
      for (PacketSummary p : in) {
        s.send(route, p);
      }
      for (PacketSummary p :
          lab.over(
              tcp(POD_A, 8080, masq, 61000, SYN | ACK, 900, 101, 0),
              sec(0.001),
              List.of(A_POD, A_VETH, A_CNI, A_VTEP, A_UP, B_UP, B_VTEP))) {
        s.send(route, p);
      }
      s.send(
          route,
          lab.at(
              tcp(B_IP, 30080, client, 50000, SYN | ACK, 900, 101, 0), sec(0.001) + 200_000, B_UP));
      s.endOfInput();
      List<FlowRecord> flows = s.flows().stream().filter(FlowRecord::getFinal$).toList();
      assertThat(flows).hasSize(1);
      assertThat(flows.get(0).getTuples())
          .extracting(FiveTuple::getSrc)
          .containsExactly(client, masq);
    }
  }
}
