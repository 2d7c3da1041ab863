package io.hoptrace.scenario;

import static io.hoptrace.lab.Lab.*;
import static io.hoptrace.lab.Pkt.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.lab.Harness;
import io.hoptrace.lab.Lab;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.AlertType;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RetransmissionStormTest {
  final Lab lab = new Lab();

  static java.util.stream.Stream<?> harnesses() {
    return io.hoptrace.lab.Harnesses.all();
  }

  /** A connection whose data segments are retransmitted (captured on the client's pod only). */
  private void lossyFlow(Harness h, String client, int sport, double t0, int retrans) {
    h.send(List.of(lab.at(tcp(client, sport, POD_B, 80, SYN, 100, 0, 0), sec(t0), A_POD)));
    h.send(
        List.of(
            lab.at(tcp(POD_B, 80, client, sport, SYN | ACK, 500, 101, 0), sec(t0 + 0.001), A_POD)));
    long seq = 101;
    for (int i = 0; i < 10; i++) {
      double t = t0 + 0.01 + i * 0.01;
      h.send(
          List.of(lab.at(tcp(client, sport, POD_B, 80, ACK | PSH, seq, 501, 100), sec(t), A_POD)));
      if (i < retrans) {
        h.send(
            List.of(
                lab.at(
                    tcp(client, sport, POD_B, 80, ACK | PSH, seq, 501, 100),
                    sec(t + 0.25),
                    A_POD)));
      }
      seq += 100;
      h.send(
          List.of(lab.at(tcp(POD_B, 80, client, sport, ACK, 501, seq, 0), sec(t + 0.26), A_POD)));
    }
  }

  @ParameterizedTest
  @MethodSource("harnesses")
  void oneLossyFlowIsAFlowStorm(Supplier<Harness> make) {
    try (Harness h = make.get()) {
      h.nodes(Lab.inventory());
      lossyFlow(h, POD_A, 40060, 0, 4);
      h.idle(1_000_000_000L);
      List<Alert> storm = h.firing(AlertType.RETRANSMISSION_STORM);
      assertThat(storm).hasSize(1);
      assertThat(storm.get(0).getSubject().getKind()).isEqualTo("FLOW");
      assertThat(storm.get(0).getEvidence().getCounts().get("retransmissions")).isBetween(3L, 4L);
      assertThat(storm.get(0).getEvidence().getFacts()).containsEntry("hop", "node-a/pod-a1/eth0");
      h.idle(30_000_000_000L);
      assertThat(h.alerts(AlertType.RETRANSMISSION_STORM))
          .extracting(Alert::getStatus)
          .containsExactly(AlertStatus.FIRING, AlertStatus.RESOLVED);
    }
  }

  @ParameterizedTest
  @MethodSource("harnesses")
  void stormOfPacketsArrivingBehindAClockThatRanAheadStillFires(Supplier<Harness> make) {
    try (Harness h = make.get()) {
      h.nodes(Lab.inventory());
      h.send(List.of(lab.at(echoRequest(POD_A, POD_B, 7, 1), sec(0), A_POD)));
      // the host's clock runs ahead of the input (wall clock while the job lags behind it)
      h.idle(20_000_000_000L);
      lossyFlow(h, POD_A, 40063, 0.5, 4);
      h.idle(1_000_000_000L);
      List<Alert> storm = h.firing(AlertType.RETRANSMISSION_STORM);
      assertThat(storm).hasSize(1);
      assertThat(storm.get(0).getEvidence().getCounts().get("retransmissions")).isBetween(3L, 4L);
    }
  }

  @ParameterizedTest
  @MethodSource("harnesses")
  void fewRetransmissionsAreNoStorm(Supplier<Harness> make) {
    try (Harness h = make.get()) {
      h.nodes(Lab.inventory());
      lossyFlow(h, POD_A, 40061, 0, 2);
      h.finish();
      assertThat(h.alerts()).isEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("harnesses")
  void fiveStormingFlowsToOneDestinationAreOneAlertListingThem(Supplier<Harness> make) {
    try (Harness h = make.get()) {
      h.nodes(Lab.inventory());
      for (int i = 0; i < 7; i++) {
        lossyFlow(h, POD_A, 41000 + i, i * 0.001, 4);
      }
      h.idle(1_000_000_000L);
      List<Alert> storm = h.firing(AlertType.RETRANSMISSION_STORM);
      List<Alert> aggregated =
          storm.stream().filter(a -> a.getSubject().getKind().equals("DESTINATION")).toList();
      assertThat(aggregated).hasSize(1);
      assertThat(aggregated.get(0).getSubject().getDst()).isEqualTo(POD_B);
      assertThat(aggregated.get(0).getEvidence().getFacts().get("flows")).contains(":41004 ->");
      // the first four stormed alone before the fifth made it an aggregate; nothing after that
      assertThat(storm.size()).isLessThanOrEqualTo(5);
    }
  }
}
