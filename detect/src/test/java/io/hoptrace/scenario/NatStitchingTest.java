package io.hoptrace.scenario;

import static io.hoptrace.lab.Lab.*;
import static io.hoptrace.lab.Pkt.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.lab.Harness;
import io.hoptrace.lab.Lab;
import io.hoptrace.lab.Pkt;
import io.hoptrace.schema.FiveTuple;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.HopStats;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class NatStitchingTest {
  static final String CLIENT = "192.168.232.1";
  static final String MASQ = "10.244.1.0"; // node-b's flannel.1 address
  final Lab lab = new Lab();

  static java.util.stream.Stream<?> harnesses() {
    return io.hoptrace.lab.Harnesses.all();
  }

  /** Client → node-b:30080 (uplink), DNAT+MASQUERADE to pod-a1:8080 over VXLAN, and back. */
  private void exchange(Harness h, Pkt outside, boolean toPod, double t) {
    Pkt inside =
        toPod ? outside.natted(MASQ, 61000, POD_A, 8080) : outside.natted(POD_A, 8080, MASQ, 61000);
    List<io.hoptrace.schema.PacketSummary> in = new ArrayList<>();
    if (toPod) {
      in.add(lab.at(outside, sec(t), B_UP));
      in.addAll(
          lab.over(
              inside, sec(t) + 10_000, List.of(B_VTEP, B_UP, A_UP, A_VTEP, A_CNI, A_VETH, A_POD)));
    } else {
      in.addAll(
          lab.over(inside, sec(t), List.of(A_POD, A_VETH, A_CNI, A_VTEP, A_UP, B_UP, B_VTEP)));
      in.add(lab.at(outside, sec(t) + 200_000, B_UP));
    }
    h.send(in);
  }

  @ParameterizedTest
  @MethodSource("harnesses")
  void nodePortIsOneConversationAcrossNatAndTheVxlanHop(Supplier<Harness> make) {
    try (Harness h = make.get()) {
      h.nodes(Lab.inventory());
      exchange(h, tcp(CLIENT, 50000, B_IP, 30080, SYN, 100, 0, 0), true, 0);
      exchange(h, tcp(B_IP, 30080, CLIENT, 50000, SYN | ACK, 900, 101, 0), false, 0.001);
      exchange(h, tcp(CLIENT, 50000, B_IP, 30080, ACK, 101, 901, 0), true, 0.002);
      exchange(h, tcp(CLIENT, 50000, B_IP, 30080, ACK | PSH, 101, 901, 80), true, 0.003);
      exchange(h, tcp(B_IP, 30080, CLIENT, 50000, ACK | PSH, 901, 181, 500), false, 0.004);
      exchange(h, tcp(CLIENT, 50000, B_IP, 30080, ACK | FIN, 181, 1401, 0), true, 0.005);
      exchange(h, tcp(B_IP, 30080, CLIENT, 50000, ACK | FIN, 1401, 182, 0), false, 0.006);
      exchange(h, tcp(CLIENT, 50000, B_IP, 30080, ACK, 182, 1402, 0), true, 0.007);
      h.finish();
      assertThat(h.alerts()).isEmpty();
      List<FlowRecord> flows = h.finalFlows();
      assertThat(flows).hasSize(1);
      FlowRecord f = flows.get(0);
      assertThat(f.getVerdict()).isEqualTo("OK");
      assertThat(f.getTuples()).extracting(FiveTuple::getSrc).containsExactly(CLIENT, MASQ);
      assertThat(f.getTuples()).extracting(FiveTuple::getDst).containsExactly(B_IP, POD_A);
      assertThat(f.getHops())
          .extracting(HopStats::getHop)
          .containsExactly(
              "node-b/ens33",
              "node-b/flannel.1",
              "node-b/ens33",
              "node-a/ens33",
              "node-a/flannel.1",
              "node-a/cni0",
              "node-a/vethA1",
              "node-a/pod-a1/eth0");
      assertThat(f.getHops())
          .allSatisfy(
              s -> {
                assertThat(s.getFwdPackets()).isEqualTo(5);
                assertThat(s.getRevPackets()).isEqualTo(3);
              });
    }
  }
}
