package io.hoptrace.scenario;

import static io.hoptrace.lab.Lab.*;
import static io.hoptrace.lab.Pkt.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.lab.Harness;
import io.hoptrace.lab.Lab;
import io.hoptrace.lab.Pkt;
import io.hoptrace.lab.Scenarios;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.HopStats;
import io.hoptrace.schema.PacketSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class HealthyFlowTest {
  final Lab lab = new Lab();

  static java.util.stream.Stream<?> harnesses() {
    return io.hoptrace.lab.Harnesses.all();
  }

  private static FlowRecord tcpFlow(Harness h) {
    return h.finalFlows().stream()
        .filter(f -> f.getTuples().get(0).getProto() == 6)
        .findFirst()
        .orElseThrow();
  }

  @ParameterizedTest
  @MethodSource("harnesses")
  void healthyTwoNodeFlowGivesNoAlertAndTheFullHopPathBothWays(Supplier<Harness> make) {
    try (Harness h = make.get()) {
      h.nodes(Lab.inventory());
      Scenarios.healthy(h, lab, 40000, 0);
      h.finish();
      assertThat(h.alerts()).isEmpty();
      assertThat(h.finalFlows()).hasSize(2);
      FlowRecord f = tcpFlow(h);
      assertThat(f.getVerdict()).isEqualTo("OK");
      assertThat(f.getTuples()).hasSize(1);
      assertThat(f.getTuples().get(0).getSrc()).isEqualTo(POD_A);
      assertThat(f.getTuples().get(0).getDport()).isEqualTo(80);
      assertThat(f.getHops())
          .extracting(HopStats::getHop)
          .containsExactly(A_TO_B.stream().map(Hop::id).toArray(String[]::new));
      assertThat(f.getHops())
          .allSatisfy(
              s -> {
                assertThat(s.getFwdPackets()).isEqualTo(5);
                assertThat(s.getRevPackets()).isEqualTo(3);
                assertThat(s.getFwdRetransmissions() + s.getRevRetransmissions()).isZero();
              });
      assertThat(f.getTcpState()).isEqualTo("ShADdFf");
    }
  }

  @ParameterizedTest
  @MethodSource("harnesses")
  void packetCapturedTwiceOnOneHopCountsOnce(Supplier<Harness> make) {
    try (Harness h = make.get()) {
      h.nodes(Lab.inventory());
      List<PacketSummary> in = new ArrayList<>();
      long t = sec(0);
      for (int i = 0; i < 4; i++) {
        Pkt p =
            tcp(
                POD_A,
                40001,
                POD_B,
                80,
                i == 0 ? SYN : ACK | PSH,
                100 + i * 10,
                0,
                i == 0 ? 0 : 10);
        PacketSummary bridge = lab.at(p, t + i * 1_000_000L, A_CNI);
        in.add(bridge);
        // `-i any` sees the bridge port and the bridge: the same packet again 200 µs later
        in.add(PacketSummary.newBuilder(bridge).setTsNanos(bridge.getTsNanos() + 200_000).build());
      }
      h.send(in);
      h.finish();
      FlowRecord f = tcpFlow(h);
      assertThat(f.getHops()).hasSize(1);
      assertThat(f.getHops().get(0).getFwdPackets()).isEqualTo(4);
      assertThat(f.getHops().get(0).getFwdRetransmissions()).isZero();
      assertThat(h.alerts(io.hoptrace.schema.AlertType.RETRANSMISSION_STORM)).isEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("harnesses")
  void sameSegmentOnFiveHopsIsOnePacketNotFiveRetransmissions(Supplier<Harness> make) {
    try (Harness h = make.get()) {
      h.nodes(Lab.inventory());
      h.send(
          lab.over(
              tcp(POD_A, 40002, POD_B, 80, ACK | PSH, 5000, 1, 1000),
              sec(0),
              A_TO_B.subList(0, 5)));
      h.finish();
      FlowRecord f = tcpFlow(h);
      assertThat(f.getHops()).hasSize(5);
      assertThat(f.getHops())
          .allSatisfy(
              s -> {
                assertThat(s.getFwdPackets()).isEqualTo(1);
                assertThat(s.getFwdRetransmissions()).isZero();
              });
    }
  }
}
