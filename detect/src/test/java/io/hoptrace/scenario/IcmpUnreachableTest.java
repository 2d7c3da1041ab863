package io.hoptrace.scenario;

import static io.hoptrace.lab.Lab.*;
import static io.hoptrace.lab.Pkt.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.lab.Harness;
import io.hoptrace.lab.Lab;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertType;
import io.hoptrace.schema.FiveTuple;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class IcmpUnreachableTest {
  final Lab lab = new Lab();

  static java.util.stream.Stream<?> harnesses() {
    return io.hoptrace.lab.Harnesses.all();
  }

  @ParameterizedTest
  @MethodSource("harnesses")
  void noRouteGivesOneHostUnreachablePatternNamingTheOverlayFlow(Supplier<Harness> make) {
    try (Harness h = make.get()) {
      h.nodes(Lab.inventory());
      FiveTuple vxlan = tuple(17, A_IP, 47000, B_IP, 8472);
      FiveTuple inner = tuple(6, POD_A, 40030, POD_B, 80);
      for (double t : new double[] {0, 1, 3, 7}) {
        h.send(
            lab.over(tcp(POD_A, 40030, POD_B, 80, SYN, 100, 0, 0), sec(t), A_TO_B.subList(0, 5)));
        // the underlay router has no route to node-b and says so, quoting the VXLAN datagram
        h.send(
            List.of(lab.at(icmpError("192.168.232.1", 3, 1, vxlan, inner), sec(t + 0.0005), A_UP)));
      }
      h.idle(12_000_000_000L);
      List<Alert> icmp = h.firing(AlertType.ICMP_UNREACHABLE);
      assertThat(icmp).hasSize(1);
      Alert a = icmp.get(0);
      assertThat(a.getSubject().getSrc()).isEqualTo("192.168.232.1");
      assertThat(a.getSubject().getDst()).isEqualTo(B_IP);
      assertThat(a.getEvidence().getFacts())
          .containsEntry("reporter", "192.168.232.1")
          .containsEntry("target", B_IP)
          .containsEntry("code", "host unreachable")
          .containsEntry("underlay", "true");
      assertThat(a.getEvidence().getFacts().get("flows"))
          .contains(POD_A + ":40030 -> " + POD_B + ":80");
      assertThat(a.getCount()).isGreaterThanOrEqualTo(3);
      assertThat(a.getHint()).contains("192.168.232.1 reports 192.168.232.130 unreachable");
      assertThat(h.firing(AlertType.ONE_WAY)).isEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("harnesses")
  void underlayHostUnreachableIsLostBetweenTheNodesUplinks(Supplier<Harness> make) {
    try (Harness h = make.get()) {
      h.nodes(Lab.inventory());
      FiveTuple vxlan = tuple(17, A_IP, 47001, B_IP, 8472);
      FiveTuple inner = tuple(6, POD_A, 40032, POD_B, 80);
      for (double t : new double[] {0, 1, 3}) {
        h.send(
            lab.over(tcp(POD_A, 40032, POD_B, 80, SYN, 100, 0, 0), sec(t), A_TO_B.subList(0, 5)));
        h.send(
            List.of(lab.at(icmpError("192.168.232.1", 3, 1, vxlan, inner), sec(t + 0.0005), A_UP)));
      }
      h.idle(1_000_000_000L);
      List<Alert> icmp = h.firing(AlertType.ICMP_UNREACHABLE);
      assertThat(icmp).hasSize(1);
      // the router between the nodes answered: the VXLAN datagram left node-a, never reached node-b
      assertThat(icmp.get(0).getLostAt()).isNotNull();
      assertThat(icmp.get(0).getLostAt().getAfter()).isEqualTo(A_UP.id());
      assertThat(icmp.get(0).getLostAt().getBefore()).isEqualTo(B_UP.id());
      assertThat(icmp.get(0).getLostAt().getDirection()).isEqualTo("forward");
    }
  }

  @ParameterizedTest
  @MethodSource("harnesses")
  void fewerThanThreeErrorsAreNoPattern(Supplier<Harness> make) {
    try (Harness h = make.get()) {
      h.nodes(Lab.inventory());
      FiveTuple vxlan = tuple(17, A_IP, 47000, B_IP, 8472);
      FiveTuple inner = tuple(6, POD_A, 40031, POD_B, 80);
      for (double t : new double[] {0, 1}) {
        h.send(
            lab.over(tcp(POD_A, 40031, POD_B, 80, SYN, 100, 0, 0), sec(t), A_TO_B.subList(0, 5)));
        h.send(
            List.of(lab.at(icmpError("192.168.232.1", 3, 1, vxlan, inner), sec(t + 0.0005), A_UP)));
      }
      h.finish();
      assertThat(h.alerts(AlertType.ICMP_UNREACHABLE)).isEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("harnesses")
  void closedUdpPortIsPortUnreachableAndRejectedNotLoss(Supplier<Harness> make) {
    try (Harness h = make.get()) {
      h.nodes(Lab.inventory());
      for (int i = 0; i < 3; i++) {
        double t = i;
        int sport = 50000 + i;
        h.send(lab.over(udp(POD_A, sport, POD_B, 9999, 20), sec(t), A_TO_B));
        // the ICMP error crosses every hop back; each sensor publishes it once
        h.send(
            lab.over(
                icmpError(POD_B, 3, 3, tuple(17, POD_A, sport, POD_B, 9999), null),
                sec(t + 0.001),
                B_TO_A));
      }
      h.finish();
      List<Alert> icmp = h.firing(AlertType.ICMP_UNREACHABLE);
      assertThat(icmp).hasSize(1);
      assertThat(icmp.get(0).getEvidence().getFacts()).containsEntry("code", "port unreachable");
      assertThat(icmp.get(0).getCount()).isEqualTo(3);
      assertThat(icmp.get(0).getHint()).contains(POD_B + " rejects udp/9999");
      // the subject is the flow the error is about, at the reporter's node, not reporter -> itself
      assertThat(icmp.get(0).getSubject().getSrc()).isEqualTo(POD_A);
      assertThat(icmp.get(0).getSubject().getDst()).isEqualTo(POD_B);
      assertThat(icmp.get(0).getSubject().getDport()).isEqualTo(9999);
      assertThat(icmp.get(0).getSubject().getProto()).isEqualTo(17);
      assertThat(icmp.get(0).getSubject().getNode()).isEqualTo("node-b");
      assertThat(icmp.get(0).getEvidence().getFacts()).containsEntry("reporter", POD_B);
      // the destination itself answered: nothing was lost on the way
      assertThat(icmp.get(0).getLostAt()).isNull();
      assertThat(h.alerts(AlertType.ONE_WAY)).isEmpty();
      assertThat(h.finalFlows())
          .hasSize(3)
          .allSatisfy(f -> assertThat(f.getVerdict()).isEqualTo("REJECTED"));
    }
  }
}
