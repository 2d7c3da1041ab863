package io.hoptrace.scenario;

import static io.hoptrace.lab.Lab.*;
import static io.hoptrace.lab.Pkt.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.lab.Harness;
import io.hoptrace.lab.Lab;
import io.hoptrace.lab.Pkt;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.PacketSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Multicast and broadcast traffic has no unicast path to follow hop by hop: its own verdict
 * (NO_UNICAST_PATH), never LOSSY or ONE_WAY, never an alert (SPEC section 5, issue 11 item 7b).
 */
class NoUnicastPathTest {
  final Lab lab = new Lab();

  static java.util.stream.Stream<?> harnesses() {
    return io.hoptrace.lab.Harnesses.all();
  }

  private static final List<Hop> NODE_A_OUT = List.of(A_POD, A_VETH, A_CNI);

  private List<PacketSummary> sent(Pkt p, double t, boolean v6) {
    List<PacketSummary> out = new ArrayList<>();
    for (PacketSummary s : lab.over(p, sec(t), NODE_A_OUT)) {
      out.add(v6 ? PacketSummary.newBuilder(s).setIpVersion(6).build() : s);
    }
    return out;
  }

  @ParameterizedTest
  @MethodSource("harnesses")
  void multicastAndBroadcastGetNoUnicastPathAndNoAlert(Supplier<Harness> make) {
    try (Harness h = make.get()) {
      h.nodes(Lab.inventory());
      for (int i = 0; i < 4; i++) {
        double t = i * 2;
        // IGMPv3 membership report
        h.send(sent(ip(2, POD_A, "224.0.0.22", 16), t, false));
        // mDNS query, IPv4 and IPv6
        h.send(sent(udp(POD_A, 5353, "224.0.0.251", 5353, 40), t + 0.1, false));
        h.send(sent(udp("fe80::1", 5353, "ff02::fb", 5353, 40), t + 0.2, true));
        // limited broadcast (DHCP discover), the pod subnet's broadcast, the node subnet's
        h.send(sent(udp("0.0.0.0", 68, "255.255.255.255", 67, 300), t + 0.3, false));
        h.send(sent(udp(POD_A, 40000, "10.244.0.255", 9999, 20), t + 0.4, false));
        h.send(List.of(lab.at(udp(A_IP, 40001, "192.168.232.255", 123, 48), sec(t + 0.5), A_UP)));
      }
      h.idle(15_000_000_000L);
      h.finish();
      assertThat(h.alerts()).isEmpty();
      List<FlowRecord> flows = h.finalFlows();
      assertThat(flows).hasSize(6);
      assertThat(flows)
          .allSatisfy(
              f -> assertThat(f.getVerdict()).as(f.toString()).isEqualTo("NO_UNICAST_PATH"));
    }
  }

  @ParameterizedTest
  @MethodSource("harnesses")
  void unicastToAnAddressEndingIn255OutsideAnyKnownSubnetIsStillJudged(Supplier<Harness> make) {
    // 10.244.7.255 is in no pod CIDR nor node subnet the inventory lists: a unicast request to
    // a request/response port that nobody answers is ONE_WAY
    try (Harness h = make.get()) {
      h.nodes(Lab.inventory());
      h.send(lab.over(udp(POD_A, 40000, "10.244.7.255", 123, 48), sec(0), A_TO_B.subList(0, 5)));
      h.idle(12_000_000_000L);
      h.finish();
      assertThat(h.finalFlows()).extracting(FlowRecord::getVerdict).containsExactly("ONE_WAY");
    }
  }
}
