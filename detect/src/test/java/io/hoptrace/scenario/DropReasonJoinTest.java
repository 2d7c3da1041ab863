package io.hoptrace.scenario;

import static io.hoptrace.lab.Lab.A_IP;
import static io.hoptrace.lab.Lab.A_TO_B;
import static io.hoptrace.lab.Lab.B_IP;
import static io.hoptrace.lab.Lab.POD_A;
import static io.hoptrace.lab.Lab.POD_B;
import static io.hoptrace.lab.Lab.sec;
import static io.hoptrace.lab.Pkt.SYN;
import static io.hoptrace.lab.Pkt.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.contract.FlowKey;
import io.hoptrace.detect.IncidentAggregator;
import io.hoptrace.detect.state.InMemoryStateStore;
import io.hoptrace.lab.CoreHarness;
import io.hoptrace.lab.Harness;
import io.hoptrace.lab.Harnesses;
import io.hoptrace.lab.Lab;
import io.hoptrace.lab.PartitionedHarness;
import io.hoptrace.lab.Scenarios;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertType;
import io.hoptrace.schema.DropReason;
import io.hoptrace.schema.EncapType;
import io.hoptrace.schema.FiveTuple;
import io.hoptrace.schema.Incident;
import io.hoptrace.schema.InterfaceRole;
import io.hoptrace.schema.KernelDrop;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The core joins the kernel's drop reasons (drops topic) into a conversation's alerts: on vxlan-
 * blocked the hops localise the loss between node-a/ens33 and node-b/ens33; a NETFILTER_DROP on
 * node-b's uplink confirms it and says why, a drop elsewhere is said next to the hops'
 * localisation, and without drops the alert is what it was. On the plain core and on partitioned
 * stages (findings through their codec, drop records routed by flow key).
 */
class DropReasonJoinTest {
  static final int SPORT = 40010;

  final Lab lab = new Lab();

  /** The core, every engine host on the class path, and partitioned stages. */
  static Stream<Named<Supplier<Harness>>> harnesses() {
    return Stream.concat(
        Harnesses.all(), Stream.of(Named.of("partitioned", () -> new PartitionedHarness(3, 7))));
  }

  /** What a sensor reports of one SYN's drops, in the second after it (at {@code t} seconds). */
  static KernelDrop drop(
      String node, String iface, InterfaceRole role, int code, String reason, int sport, double t) {
    return KernelDrop.newBuilder()
        .setNode(node)
        .setHop(node + "/" + iface)
        .setIface(iface)
        .setRole(role)
        .setNetns(4026532000L)
        .setReasonCode(code)
        .setReason(reason)
        .setCount(2)
        .setIntervalStartNanos(sec(t))
        .setIntervalEndNanos(sec(t + 1))
        .setFlowKey(FlowKey.key(6, POD_A, sport, POD_B, 80))
        .setFlow(
            FiveTuple.newBuilder()
                .setSrc(POD_A)
                .setDst(POD_B)
                .setProto(6)
                .setSport(sport)
                .setDport(80)
                .build())
        .setFlowDirection(FlowKey.direction(POD_A, sport, POD_B, 80))
        .setEncapType(EncapType.VXLAN)
        .setOuter(
            FiveTuple.newBuilder()
                .setSrc(A_IP)
                .setDst(B_IP)
                .setProto(17)
                .setSport(51000)
                .setDport(8472)
                .build())
        .build();
  }

  /**
   * vxlan-blocked's SYN and its retries (as {@link Scenarios#vxlanBlocked}), each followed by the
   * drop records a sensor publishes about it within the second.
   */
  private Alert oneWay(Harness h, List<Reported> drops) {
    h.nodes(Lab.inventory());
    for (double t : new double[] {0, 1, 3, 7}) {
      h.send(lab.over(tcp(POD_A, SPORT, POD_B, 80, SYN, 100, 0, 0), sec(t), A_TO_B.subList(0, 5)));
      if (!drops.isEmpty()) {
        h.drops(drops.stream().map(r -> r.at(t)).toList());
      }
    }
    h.idle(12_000_000_000L);
    h.finish();
    List<Alert> oneWay = h.firing(AlertType.ONE_WAY);
    assertThat(oneWay).hasSize(1);
    Alert a = oneWay.get(0);
    // the reason never moves the hops' localisation
    assertThat(a.getLostAt().getAfter()).isEqualTo("node-a/ens33");
    assertThat(a.getLostAt().getBefore()).isEqualTo("node-b/ens33");
    return a;
  }

  /** A drop the sensor reports for each SYN. */
  record Reported(
      String node, String iface, InterfaceRole role, int code, String reason, int sport) {
    Reported(String node, String iface, InterfaceRole role, int code, String reason) {
      this(node, iface, role, code, reason, SPORT);
    }

    KernelDrop at(double t) {
      return drop(node, iface, role, code, reason, sport, t);
    }
  }

  private String hintWithoutDrops() {
    try (Harness h = new CoreHarness()) {
      return oneWay(h, List.of()).getHint();
    }
  }

  @ParameterizedTest
  @MethodSource("harnesses")
  void aDropAtTheLostAtSegmentSaysWhyInTheHintAndTheIncident(Supplier<Harness> make) {
    String plain = hintWithoutDrops();
    try (Harness h = make.get()) {
      // per SYN the sensor on node-b reports 2 + 2 VXLAN packets (two records of one interval),
      // node-a's bridge a reason elsewhere, which loses to the one at the segment. The count is
      // what the kernel had said when the alert was last reported: how many SYNs' records came
      // before that depends on the host's order of its two inputs, so only its form is fixed.
      Alert a =
          oneWay(
              h,
              List.of(
                  new Reported("node-b", "ens33", InterfaceRole.UPLINK, 12, "NETFILTER_DROP"),
                  new Reported("node-b", "ens33", InterfaceRole.UPLINK, 12, "NETFILTER_DROP"),
                  new Reported("node-a", "cni0", InterfaceRole.BRIDGE, 7, "OTHERHOST")));

      DropReason r = a.getDropReason();
      assertThat(r.getCount()).isBetween(2L, 16L).matches(n -> n % 2 == 0, "whole records");
      assertThat(r)
          .isEqualTo(
              DropReason.newBuilder()
                  .setReason("NETFILTER_DROP")
                  .setCode(12)
                  .setHop("node-b/ens33")
                  .setCount(r.getCount())
                  .setAtLostSegment(true)
                  .build());
      assertThat(a.getHint())
          .isEqualTo(
              plain
                  + "; the kernel: node-b dropped "
                  + r.getCount()
                  + " VXLAN packets from 192.168.232.128 after ens33: NETFILTER_DROP (iptables)");

      List<Incident> incidents = new ArrayList<>();
      IncidentAggregator stage3 =
          new IncidentAggregator(new InMemoryStateStore<>(), incidents::add);
      h.alerts().forEach(stage3::onAlert);
      Incident last = incidents.get(incidents.size() - 1);
      assertThat(last.getDropReason()).isEqualTo(a.getDropReason());
      assertThat(last.getCause()).contains("NETFILTER_DROP (iptables)");
    }
  }

  @ParameterizedTest
  @MethodSource("harnesses")
  void aDropElsewhereIsSaidNextToTheHopsLocalisation(Supplier<Harness> make) {
    String plain = hintWithoutDrops();
    try (Harness h = make.get()) {
      // fired after the records about two SYNs: 2 x 2
      Alert a =
          oneWay(h, List.of(new Reported("node-a", "cni0", InterfaceRole.BRIDGE, 7, "OTHERHOST")));

      assertThat(a.getDropReason().getHop()).isEqualTo("node-a/cni0");
      assertThat(a.getDropReason().getReason()).isEqualTo("OTHERHOST");
      assertThat(a.getDropReason().getAtLostSegment()).isFalse();
      assertThat(a.getHint())
          .startsWith(plain)
          .endsWith(
              "; the kernel dropped elsewhere than the hops show: node-a dropped "
                  + a.getDropReason().getCount()
                  + " VXLAN packets"
                  + " from 192.168.232.128 after cni0: OTHERHOST (not addressed to this host)"
                  + " (the hops lose the packets between node-a/ens33 and node-b/ens33)");
    }
  }

  @ParameterizedTest
  @MethodSource("harnesses")
  void withoutDropsTheAlertIsUnchanged(Supplier<Harness> make) {
    String plain = hintWithoutDrops();
    try (Harness h = make.get()) {
      Alert a = oneWay(h, List.of());
      assertThat(a.getDropReason()).isNull();
      assertThat(a.getHint()).isEqualTo(plain).doesNotContain("kernel");
    }
  }

  @ParameterizedTest
  @MethodSource("harnesses")
  void aDropOfAnotherFlowChangesNothing(Supplier<Harness> make) {
    String plain = hintWithoutDrops();
    try (Harness h = make.get()) {
      // node-b's NETFILTER_DROP of the next source port's flow, not this conversation's
      Alert a =
          oneWay(
              h,
              List.of(
                  new Reported(
                      "node-b", "ens33", InterfaceRole.UPLINK, 12, "NETFILTER_DROP", SPORT + 1)));
      assertThat(a.getDropReason()).isNull();
      assertThat(a.getHint()).isEqualTo(plain);
    }
  }
}
