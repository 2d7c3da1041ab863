package io.hoptrace.scenario;

import static io.hoptrace.lab.Lab.A_IP;
import static io.hoptrace.lab.Lab.A_TO_B;
import static io.hoptrace.lab.Lab.B_IP;
import static io.hoptrace.lab.Lab.B_TO_A;
import static io.hoptrace.lab.Lab.POD_A;
import static io.hoptrace.lab.Lab.POD_B;
import static io.hoptrace.lab.Lab.sec;
import static io.hoptrace.lab.Pkt.ACK;
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

  /** A drop the sensor reports for each SYN, {@code ago} seconds before it (0: with it). */
  record Reported(
      String node,
      String iface,
      InterfaceRole role,
      int code,
      String reason,
      int sport,
      double ago) {
    Reported(String node, String iface, InterfaceRole role, int code, String reason) {
      this(node, iface, role, code, reason, SPORT, 0);
    }

    Reported(String node, String iface, InterfaceRole role, int code, String reason, int sport) {
      this(node, iface, role, code, reason, sport, 0);
    }

    KernelDrop at(double t) {
      return drop(node, iface, role, code, reason, sport, t - ago);
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

  /** node-b's NETFILTER_DROP on its uplink of source port {@code sport}, {@code ago} s early. */
  static Reported nodeBUplink(int sport, double ago) {
    return new Reported("node-b", "ens33", InterfaceRole.UPLINK, 12, "NETFILTER_DROP", sport, ago);
  }

  /** With these drops reported, the alert is what it is without drops. */
  private void changeNothing(Supplier<Harness> make, Reported r) {
    String plain = hintWithoutDrops();
    try (Harness h = make.get()) {
      Alert a = oneWay(h, List.of(r));
      assertThat(a.getDropReason()).isNull();
      assertThat(a.getHint()).isEqualTo(plain);
    }
  }

  @ParameterizedTest
  @MethodSource("harnesses")
  void aDropOfAnotherFlowChangesNothing(Supplier<Harness> make) {
    // node-b's NETFILTER_DROP of the next source port's flow, not this conversation's
    changeNothing(make, nodeBUplink(SPORT + 1, 0));
  }

  @ParameterizedTest
  @MethodSource("harnesses")
  void aDropOlderThanTheMaxAgeBeforeTheAlertIsNotJoined(Supplier<Harness> make) {
    // the same flow key's drops, but 40 s before each SYN: older than drops.max.age.ms (30 s)
    // before the alert (it fires 10 s after the first SYN), e.g. an earlier loss of a long
    // conversation
    changeNothing(make, nodeBUplink(SPORT, 40));
  }

  @ParameterizedTest
  @MethodSource("harnesses")
  void aDropWithinTheMaxAgeBeforeTheAlertIsJoined(Supplier<Harness> make) {
    try (Harness h = make.get()) {
      // 20 s before each SYN: the last one (SYN at 7 s, reported until -12 s) is within 30 s of
      // the alert
      Alert a = oneWay(h, List.of(nodeBUplink(SPORT, 20)));
      assertThat(a.getDropReason()).isNotNull();
      assertThat(a.getDropReason().getReason()).isEqualTo("NETFILTER_DROP");
      assertThat(a.getDropReason().getAtLostSegment()).isTrue();
    }
  }

  @ParameterizedTest
  @MethodSource("harnesses")
  void anIncidentWhoseCauseAlertHasNoReasonTakesTheReasonOfAnotherOfItsAlerts(
      Supplier<Harness> make) {
    try (Harness h = make.get()) {
      // dual-ip: node-b encapsulates its replies from a second address, node-a's reverse-path
      // filter drops them on its uplink. The VTEP_MISMATCH alert (the incident's cause) fires at
      // the first reply, before the sensor's first record; the ONE_WAY of the replies later.
      h.nodes(Lab.inventory());
      lab.nodeBEncapsulatesFrom("192.168.232.131");
      for (double t : new double[] {0, 1, 3, 7}) {
        h.send(lab.over(tcp(POD_A, 40100, POD_B, 80, SYN, 100, 0, 0), sec(t), A_TO_B));
        h.send(
            lab.over(
                tcp(POD_B, 80, POD_A, 40100, SYN | ACK, 900, 101, 0),
                sec(t + 0.001),
                B_TO_A.subList(0, 6)));
        KernelDrop d =
            KernelDrop.newBuilder(
                    drop("node-a", "ens33", InterfaceRole.UPLINK, 27, "IP_RPFILTER", 40100, t))
                .setFlowDirection(FlowKey.direction(POD_B, 80, POD_A, 40100))
                .build();
        d.getFlow().setSrc(POD_B);
        d.getFlow().setDst(POD_A);
        d.getFlow().setSport(80);
        d.getFlow().setDport(40100);
        d.getOuter().setSrc("192.168.232.131");
        d.getOuter().setDst(A_IP);
        h.drops(List.of(d));
      }
      h.idle(12_000_000_000L);
      h.finish();
      Alert vtep = h.firing(AlertType.VTEP_MISMATCH).get(0);
      Alert oneWay = h.firing(AlertType.ONE_WAY).get(0);
      assertThat(oneWay.getDropReason().getReason()).isEqualTo("IP_RPFILTER");
      assertThat(oneWay.getDropReason().getHop()).isEqualTo("node-a/ens33");

      List<Incident> incidents = new ArrayList<>();
      IncidentAggregator stage3 =
          new IncidentAggregator(new InMemoryStateStore<>(), incidents::add);
      h.alerts().forEach(stage3::onAlert);
      Incident last = incidents.get(incidents.size() - 1);
      assertThat(last.getCauseKind()).isEqualTo(vtep.getSubject().getKind());
      assertThat(last.getAlertTypes()).contains("VTEP_MISMATCH", "ONE_WAY");
      assertThat(last.getDropReason()).isNotNull();
      assertThat(last.getDropReason().getReason()).isEqualTo("IP_RPFILTER");
      assertThat(last.getDropReason().getHop()).isEqualTo("node-a/ens33");
      assertThat(last.getCause()).startsWith(vtep.getHint().split("; the kernel")[0]);
      if (vtep.getDropReason() == null) {
        // the host judged the VTEP alert before any drop record: the reason is the ONE_WAY's
        assertThat(last.getCause())
            .endsWith(
                "; the kernel, on another of its alerts: node-a dropped "
                    + last.getDropReason().getCount()
                    + " packets after ens33: IP_RPFILTER (reverse-path filter)");
      } else {
        assertThat(last.getCause()).contains("IP_RPFILTER (reverse-path filter)");
      }
    }
  }
}
