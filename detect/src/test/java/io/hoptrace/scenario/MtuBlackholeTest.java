package io.hoptrace.scenario;

import static io.hoptrace.lab.Lab.*;
import static io.hoptrace.lab.Pkt.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.lab.Harness;
import io.hoptrace.lab.Lab;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertType;
import io.hoptrace.schema.LostAt;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MtuBlackholeTest {
  final Lab lab = new Lab();

  static java.util.stream.Stream<?> harnesses() {
    return io.hoptrace.lab.Harnesses.all();
  }

  @ParameterizedTest
  @MethodSource("harnesses")
  void largeSegmentsLostWhileSmallPassGiveMtuBlackholeWithPathMtu(Supplier<Harness> make) {
    try (Harness h = make.get()) {
      h.nodes(Lab.inventory());
      int sp = 40050;
      h.send(lab.over(tcp(POD_A, sp, POD_B, 80, SYN, 100, 0, 0), sec(0), A_TO_B));
      h.send(lab.over(tcp(POD_B, 80, POD_A, sp, SYN | ACK, 500, 101, 0), sec(0.001), B_TO_A));
      h.send(lab.over(tcp(POD_A, sp, POD_B, 80, ACK, 101, 501, 0), sec(0.002), A_TO_B));
      h.send(lab.over(tcp(POD_A, sp, POD_B, 80, ACK | PSH, 101, 501, 100), sec(0.003), A_TO_B));
      h.send(lab.over(tcp(POD_B, 80, POD_A, sp, ACK, 501, 201, 0), sec(0.004), B_TO_A));
      // full-size responses leave node-b's uplink but never arrive at node-a; they are
      // retransmitted
      List<Hop> lost = B_TO_A.subList(0, 5);
      double[] at = {0.005, 0.3, 0.9, 2.1, 4.5};
      for (double t : at) {
        h.send(lab.over(tcp(POD_B, 80, POD_A, sp, ACK, 501, 201, 0).size(1500), sec(t), lost));
      }
      h.idle(8_000_000_000L);
      List<Alert> mtu = h.firing(AlertType.MTU_BLACKHOLE);
      assertThat(mtu).hasSize(1);
      Alert a = mtu.get(0);
      assertThat(a.getEvidence().getFacts()).containsEntry("pathMtu", "1450");
      assertThat(a.getHint()).contains("path MTU is 1450");
      assertThat(h.firing()).extracting(Alert::getType).containsOnly(AlertType.MTU_BLACKHOLE);
      h.finish();
      assertThat(h.firing()).extracting(Alert::getType).containsOnly(AlertType.MTU_BLACKHOLE);
    }
  }

  @ParameterizedTest
  @MethodSource("harnesses")
  void largeSegmentsRetransmittedBeforeTheyDieAreLocalisedInTheFirstAlert(Supplier<Harness> make) {
    try (Harness h = make.get()) {
      h.nodes(Lab.inventory());
      int sp = 40052;
      h.send(lab.over(tcp(POD_A, sp, POD_B, 80, SYN, 100, 0, 0), sec(0), A_TO_B));
      h.send(lab.over(tcp(POD_B, 80, POD_A, sp, SYN | ACK, 500, 101, 0), sec(0.001), B_TO_A));
      h.send(lab.over(tcp(POD_A, sp, POD_B, 80, ACK | PSH, 101, 501, 100), sec(0.002), A_TO_B));
      // full-size replies pass node-b's pod, veth and bridge but never its VTEP (MTU 1450); three
      // retransmissions within the lateness: the count condition holds before any of them settled
      List<Hop> upToBridge = B_TO_A.subList(0, 3);
      for (double t : new double[] {0.005, 0.2, 0.4, 0.8}) {
        h.send(
            lab.over(
                tcp(POD_B, 80, POD_A, sp, ACK, 501, 201, 1448).size(1500), sec(t), upToBridge));
      }
      h.idle(6_000_000_000L);
      List<Alert> mtu = h.firing(AlertType.MTU_BLACKHOLE);
      assertThat(mtu).isNotEmpty();
      LostAt at = mtu.get(0).getLostAt();
      assertThat(at).isNotNull();
      assertThat(at.getAfter()).isEqualTo(B_CNI.id());
      assertThat(at.getBefore()).isEqualTo(B_VTEP.id());
      assertThat(at.getDirection()).isEqualTo("reverse");
      assertThat(mtu.get(0).getHint()).contains("between node-b/cni0 and node-b/flannel.1");
    }
  }

  @ParameterizedTest
  @MethodSource("harnesses")
  void fragmentationNeededReportsThePathMtu(Supplier<Harness> make) {
    try (Harness h = make.get()) {
      h.nodes(Lab.inventory());
      int sp = 40051;
      h.send(
          lab.over(
              tcp(POD_A, sp, POD_B, 80, ACK | PSH, 101, 501, 1448).size(1500),
              sec(0),
              A_TO_B.subList(0, 4)));
      h.send(
          List.of(
              lab.at(
                  icmpError(A_IP, 3, 4, tuple(6, POD_A, sp, POD_B, 80), null).icmpMtu(1450),
                  sec(0.0001),
                  A_VTEP)));
      h.idle(3_000_000_000L);
      List<Alert> mtu = h.firing(AlertType.MTU_BLACKHOLE);
      assertThat(mtu).hasSize(1);
      assertThat(mtu.get(0).getEvidence().getFacts()).containsEntry("pathMtu", "1450");
    }
  }

  /** Client, server and their paths: node-a to node-b, or node-b to node-a. */
  record Way(String client, String server, List<Hop> out, List<Hop> back, Hop cni, Hop vtep) {}

  static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> waysAndHarnesses() {
    Way ab = new Way(POD_A, POD_B, A_TO_B, B_TO_A, B_CNI, B_VTEP);
    Way ba = new Way(POD_B, POD_A, B_TO_A, A_TO_B, A_CNI, A_VTEP);
    return io.hoptrace.lab.Harnesses.all()
        .flatMap(
            h ->
                java.util.stream.Stream.of(
                    org.junit.jupiter.params.provider.Arguments.of(h, ab),
                    org.junit.jupiter.params.provider.Arguments.of(h, ba)));
  }

  /**
   * Pods at MTU 1500 over flannel.1 at 1450 (inventory), captures cut at 256 bytes: the server's
   * 1500-byte segments die on its node between cni0 and flannel.1 while its 1400-byte segment and
   * the small packets pass. The path MTU is the configured 1450, not a size bounded by the snap
   * length or by the small packets of the other direction.
   */
  @ParameterizedTest
  @MethodSource("waysAndHarnesses")
  void snaplenTruncatedCapturesStillGiveTheConfiguredPathMtu(Supplier<Harness> make, Way w) {
    try (Harness h = make.get()) {
      h.nodes(Lab.inventoryWithPodMtu(1500));
      int sp = 40070;
      String c = w.client();
      String s = w.server();
      h.send(lab.over(tcp(c, sp, s, 80, SYN, 100, 0, 0).snap(256), sec(0), w.out()));
      h.send(lab.over(tcp(s, 80, c, sp, SYN | ACK, 500, 101, 0).snap(256), sec(0.001), w.back()));
      h.send(lab.over(tcp(c, sp, s, 80, ACK | PSH, 101, 501, 100).snap(256), sec(0.002), w.out()));
      h.send(
          lab.over(
              tcp(s, 80, c, sp, ACK | PSH, 501, 201, 0).size(1400).snap(256),
              sec(0.003),
              w.back()));
      List<Hop> upToBridge = w.back().subList(0, 3);
      for (double t : new double[] {0.005, 0.2, 0.6, 1.4, 3.0}) {
        h.send(
            lab.over(
                tcp(s, 80, c, sp, ACK, 1849, 201, 0).size(1500).snap(256), sec(t), upToBridge));
      }
      h.idle(6_000_000_000L);
      List<Alert> mtu = h.firing(AlertType.MTU_BLACKHOLE);
      assertThat(mtu).isNotEmpty();
      for (Alert a : mtu) {
        assertThat(a.getEvidence().getFacts()).containsEntry("pathMtu", "1450");
        assertThat(a.getHint()).contains("path MTU is 1450");
        assertThat(a.getLostAt().getAfter()).isEqualTo(w.cni().id());
        assertThat(a.getLostAt().getBefore()).isEqualTo(w.vtep().id());
      }
      h.finish();
      assertThat(h.alerts()).extracting(Alert::getType).containsOnly(AlertType.MTU_BLACKHOLE);
    }
  }

  /**
   * 1500-byte DF pings die on the sending node between cni0 and flannel.1 (MTU 1450) while small
   * pings (another ping, another id) pass: an MTU black hole, not a plain ONE_WAY.
   */
  @ParameterizedTest
  @MethodSource("waysAndHarnesses")
  void largeDfPingsDyingAtTheVtepAreAnMtuBlackholeNotOneWay(Supplier<Harness> make, Way w) {
    try (Harness h = make.get()) {
      h.nodes(Lab.inventoryWithPodMtu(1500));
      String c = w.client();
      String s = w.server();
      List<Hop> upToBridge = w.out().subList(0, 3);
      for (int i = 1; i <= 3; i++) {
        h.send(lab.over(echoRequest(c, s, 21, i), sec(i), w.out()));
        h.send(lab.over(echoReply(s, c, 21, i), sec(i + 0.001), w.back()));
      }
      for (int i = 1; i <= 3; i++) {
        h.send(lab.over(echoRequest(c, s, 22, i).size(1500), sec(4 + i), upToBridge));
      }
      h.idle(12_000_000_000L);
      List<Alert> mtu = h.firing(AlertType.MTU_BLACKHOLE);
      assertThat(mtu).hasSize(1);
      Alert a = mtu.get(0);
      Hop cni = w.out().get(2);
      Hop vtep = w.out().get(3);
      assertThat(a.getLostAt().getAfter()).isEqualTo(cni.id());
      assertThat(a.getLostAt().getBefore()).isEqualTo(vtep.id());
      assertThat(a.getEvidence().getFacts()).containsEntry("pathMtu", "1450");
      h.finish();
      assertThat(h.alerts()).extracting(Alert::getType).containsOnly(AlertType.MTU_BLACKHOLE);
    }
  }
}
