package io.hoptrace.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.lab.FlinkHarness;
import io.hoptrace.lab.Harness;
import io.hoptrace.lab.Lab;
import io.hoptrace.lab.Scenarios;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertType;
import io.hoptrace.schema.FlowRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: a job started on full topics gets packets before the node inventory (Flink orders
 * nothing between the keyed and the broadcast input). Stage 1 judges no packet before the nodes
 * topic is read up to where it ended at job start ({@link InventoryFirst}): the packets wait, event
 * time with them, and the run gives what the inventory-first run gives (the same alerts in the same
 * order, the same flow records: those may end in another order, event time moving in one step),
 * across a checkpoint taken while they wait too.
 */
class InventoryFirstTest {
  /** Where the nodes topic ends: the two inventories at offsets 0 and 1 of partition 0. */
  static final InventoryEnd TWO_NODES = new InventoryEnd(new HashMap<>(Map.of(0, 1L)));

  static List<Alert> refAlerts;
  static List<FlowRecord> refFlows;

  /** Healthy traffic over VXLAN, and a SYN that never leaves node-a (ONE_WAY). */
  static void traffic(Harness h) {
    Scenarios.healthy(h, new Lab(), 40000, 0);
    Scenarios.vxlanBlocked(h, new Lab(), 40001, 2);
  }

  @BeforeAll
  static void inventoryFirst() {
    try (FlinkHarness h = new FlinkHarness(TWO_NODES)) {
      h.nodes(Lab.inventory());
      traffic(h);
      h.finish();
      refAlerts = List.copyOf(h.alerts());
      refFlows = List.copyOf(h.finalFlows());
    }
    assertThat(refAlerts).extracting(Alert::getType).containsOnly(AlertType.ONE_WAY).isNotEmpty();
    assertThat(refFlows).extracting(FlowRecord::getVerdict).contains("OK", "ONE_WAY");
  }

  static void assertInventoryFirstResult(Harness h) {
    assertThat(h.alerts()).isEqualTo(refAlerts);
    assertThat(h.finalFlows()).containsExactlyInAnyOrderElementsOf(refFlows);
  }

  /** What the test guards against: judged before the inventory, VXLAN traffic is suspect. */
  @Test
  void withoutWaitingPacketsBeforeTheInventoryRaiseAFalseVtepMismatch() {
    try (FlinkHarness h = new FlinkHarness(InventoryEnd.none())) {
      traffic(h);
      h.nodes(Lab.inventory());
      h.finish();
      assertThat(h.alerts()).extracting(Alert::getType).contains(AlertType.VTEP_MISMATCH);
    }
  }

  @Test
  void packetsBeforeTheInventoryWaitForItAndGiveTheInventoryFirstResult() {
    try (FlinkHarness h = new FlinkHarness(TWO_NODES)) {
      traffic(h);
      h.idle(5_000_000_000L);
      assertThat(h.alerts()).isEmpty();
      assertThat(h.flows()).isEmpty();
      h.nodes(Lab.inventory());
      h.finish();
      assertInventoryFirstResult(h);
    }
  }

  /** The end-of-input watermark arrives before the inventory: held back until the packets go. */
  @Test
  void eventTimeWaitsWithThePackets() throws Exception {
    try (FlinkHarness h = new FlinkHarness(TWO_NODES)) {
      traffic(h);
      h.stages().endOfInput();
      assertThat(h.alerts()).isEmpty();
      assertThat(h.flows()).isEmpty();
      h.nodes(Lab.inventory());
      assertInventoryFirstResult(h);
    }
  }

  /** Only part of the inventory read: still waiting. */
  @Test
  void partOfTheInventoryIsNotEnough() {
    try (FlinkHarness h = new FlinkHarness(TWO_NODES)) {
      traffic(h);
      h.nodes(Lab.inventory().subList(0, 1));
      h.idle(2_000_000_000L);
      assertThat(h.alerts()).isEmpty();
      assertThat(h.flows()).isEmpty();
      h.nodes(Lab.inventory().subList(1, 2));
      h.finish();
      assertInventoryFirstResult(h);
    }
  }

  @Test
  void waitingPacketsSurviveACheckpointAndRestore() throws Exception {
    try (FlinkHarness h = new FlinkHarness(TWO_NODES)) {
      Scenarios.healthy(h, new Lab(), 40000, 0);
      h.stages().restore(h.stages().snapshot());
      Scenarios.vxlanBlocked(h, new Lab(), 40001, 2);
      h.nodes(Lab.inventory());
      h.finish();
      assertInventoryFirstResult(h);
    }
  }

  /** Once read up to the end, a restored subtask does not wait again (the offsets are state). */
  @Test
  void aRestoredSubtaskThatHadReadTheInventoryDoesNotWait() throws Exception {
    try (FlinkHarness h = new FlinkHarness(TWO_NODES)) {
      h.nodes(Lab.inventory());
      h.stages().restore(h.stages().snapshot());
      traffic(h);
      h.idle(1_000_000_000L);
      assertThat(h.flows()).isNotEmpty();
      h.finish();
      assertInventoryFirstResult(h);
    }
  }
}
