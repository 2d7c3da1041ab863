package io.hoptrace.scenario;

import static io.hoptrace.lab.Lab.*;
import static io.hoptrace.lab.Pkt.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.lab.Harness;
import io.hoptrace.lab.Lab;
import io.hoptrace.lab.Scenarios;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.AlertType;
import io.hoptrace.schema.NodeInventory;
import io.hoptrace.schema.VtepInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OneWayTest {
  final Lab lab = new Lab();

  static java.util.stream.Stream<?> harnesses() {
    return io.hoptrace.lab.Harnesses.all();
  }

  @ParameterizedTest
  @MethodSource("harnesses")
  void vxlanBlockedIsOneWayLocalisedToTheUnderlay(Supplier<Harness> make) {
    try (Harness h = make.get()) {
      h.nodes(Lab.inventory());
      Scenarios.vxlanBlocked(h, lab, 40010, 0);
      h.idle(12_000_000_000L);
      List<Alert> oneWay = h.firing(AlertType.ONE_WAY);
      assertThat(oneWay).hasSize(1);
      Alert a = oneWay.get(0);
      assertThat(a.getLostAt().getAfter()).isEqualTo("node-a/ens33");
      assertThat(a.getLostAt().getBefore()).isEqualTo("node-b/ens33");
      assertThat(a.getLostAt().getDirection()).isEqualTo("forward");
      assertThat(a.getHint())
          .contains("VXLAN (UDP 8472) from 192.168.232.128 never reaches 192.168.232.130")
          .contains("check firewalls/security groups between the nodes for 8472/udp");
      assertThat(a.getSubject().getSrc()).isEqualTo(POD_A);
      assertThat(a.getSubject().getDst()).isEqualTo(POD_B);
      assertThat(a.getSubject().getDport()).isEqualTo(80);
      assertThat(a.getEvidence().getHopsMissing()).startsWith("node-b/ens33");
      assertThat(h.firing()).extracting(Alert::getType).containsOnly(AlertType.ONE_WAY);
    }
  }

  @ParameterizedTest
  @MethodSource("harnesses")
  void silentSynAlertsWithinTheOneWayTimeoutWithoutFurtherTraffic(Supplier<Harness> make) {
    try (Harness h = make.get()) {
      h.nodes(Lab.inventory());
      h.send(lab.over(tcp(POD_A, 40011, POD_B, 80, SYN, 100, 0, 0), sec(0), A_TO_B.subList(0, 5)));
      assertThat(h.alerts()).isEmpty();
      h.idle(10_500_000_000L);
      assertThat(h.firing(AlertType.ONE_WAY)).hasSize(1);
    }
  }

  @ParameterizedTest
  @MethodSource("harnesses")
  void resolvedFollowsWhenTrafficRecovers(Supplier<Harness> make) {
    try (Harness h = make.get()) {
      h.nodes(Lab.inventory());
      Scenarios.vxlanBlocked(h, lab, 40012, 0);
      h.idle(4_000_000_000L);
      assertThat(h.firing(AlertType.ONE_WAY)).hasSize(1);
      // the firewall is fixed: the next SYN retransmission gets through and is answered
      h.send(lab.over(tcp(POD_A, 40012, POD_B, 80, SYN, 100, 0, 0), sec(15), A_TO_B));
      h.send(lab.over(tcp(POD_B, 80, POD_A, 40012, SYN | ACK, 700, 101, 0), sec(15.001), B_TO_A));
      h.send(lab.over(tcp(POD_A, 40012, POD_B, 80, ACK, 101, 701, 0), sec(15.002), A_TO_B));
      h.idle(25_000_000_000L);
      List<Alert> all = h.alerts(AlertType.ONE_WAY);
      assertThat(all)
          .extracting(Alert::getStatus)
          .containsExactly(AlertStatus.FIRING, AlertStatus.RESOLVED);
      assertThat(all.get(1).getId()).isEqualTo(all.get(0).getId());
    }
  }

  @ParameterizedTest
  @MethodSource("harnesses")
  void dualIpGivesStormOneWayOnTheReturnPathAndVtepMismatch(Supplier<Harness> make) {
    try (Harness h = make.get()) {
      h.nodes(Lab.inventory());
      Scenarios.dualIp(h, lab, 0);
      h.idle(12_000_000_000L);
      assertThat(h.firing())
          .extracting(Alert::getType)
          .containsExactlyInAnyOrder(
              AlertType.RETRANSMISSION_STORM, AlertType.ONE_WAY, AlertType.VTEP_MISMATCH);
      Alert oneWay = h.firing(AlertType.ONE_WAY).get(0);
      assertThat(oneWay.getLostAt().getDirection()).isEqualTo("reverse");
      assertThat(oneWay.getLostAt().getAfter()).isEqualTo("node-a/ens33");
      assertThat(oneWay.getLostAt().getBefore()).isEqualTo("node-a/flannel.1");
      assertThat(oneWay.getHint())
          .contains(
              "replies leave node-b with source 192.168.232.131 which node-a does not accept");
      Alert vtep = h.firing(AlertType.VTEP_MISMATCH).get(0);
      assertThat(vtep.getSubject().getNode()).isEqualTo("node-b");
      assertThat(vtep.getEvidence().getFacts())
          .containsEntry("kind", "wrong-source")
          .containsEntry("registered", B_IP)
          .containsEntry("outerSrc", "192.168.232.131");
    }
  }

  @ParameterizedTest
  @MethodSource("harnesses")
  void dualIpWithTheSecondAddressAsVtepLocalBlamesTheOuterSourceNotAFirewall(
      Supplier<Harness> make) {
    // as in the lab's dual-ip recording: node-b's VTEP reports the second address as its local
    // one, node-a's FDB entry for node-b still says B_IP
    try (Harness h = make.get()) {
      List<NodeInventory> nodes = new ArrayList<>();
      for (NodeInventory n : Lab.inventory()) {
        if (n.getNode().equals("node-b")) {
          VtepInfo v = n.getVteps().get(0);
          n =
              NodeInventory.newBuilder(n)
                  .setAddresses(List.of(B_IP, "192.168.232.131"))
                  .setVteps(List.of(VtepInfo.newBuilder(v).setLocal("192.168.232.131").build()))
                  .build();
        }
        nodes.add(n);
      }
      h.nodes(nodes);
      Scenarios.dualIp(h, lab, 0);
      h.idle(12_000_000_000L);
      assertThat(h.firing(AlertType.VTEP_MISMATCH)).isNotEmpty();
      Alert oneWay = h.firing(AlertType.ONE_WAY).get(0);
      assertThat(oneWay.getLostAt().getAfter()).isEqualTo("node-a/ens33");
      assertThat(oneWay.getLostAt().getBefore()).isEqualTo("node-a/flannel.1");
      assertThat(oneWay.getHint())
          .contains("replies leave node-b with source 192.168.232.131 which node-a does not accept")
          .contains("registered VTEP address is " + B_IP)
          .contains("VTEP_MISMATCH")
          .doesNotContain("firewall");
    }
  }

  @ParameterizedTest
  @MethodSource("harnesses")
  void rstAnsweredFlowIsRejectedNotOneWay(Supplier<Harness> make) {
    try (Harness h = make.get()) {
      h.nodes(Lab.inventory());
      for (double t : new double[] {0, 1, 2}) {
        int sport = 40020 + (int) t;
        h.send(lab.over(tcp(POD_A, sport, POD_B, 81, SYN, 100, 0, 0), sec(t), A_TO_B));
        h.send(
            lab.over(tcp(POD_B, 81, POD_A, sport, RST | ACK, 0, 101, 0), sec(t + 0.001), B_TO_A));
      }
      h.finish();
      assertThat(h.alerts(AlertType.ONE_WAY)).isEmpty();
      assertThat(h.finalFlows())
          .hasSize(3)
          .allSatisfy(f -> assertThat(f.getVerdict()).isEqualTo("REJECTED"));
    }
  }

  @ParameterizedTest
  @MethodSource("harnesses")
  void outerVxlanTupleNeverGetsAOneWayVerdict(Supplier<Harness> make) {
    try (Harness h = make.get()) {
      // a sensor that did not decode the tunnel publishes the outer UDP 8472 datagrams
      for (int i = 0; i < 5; i++) {
        h.send(List.of(lab.at(udp(A_IP, 45000, B_IP, 8472, 100), sec(i), A_UP)));
      }
      h.idle(15_000_000_000L);
      h.finish();
      assertThat(h.alerts()).isEmpty();
    }
  }
}
