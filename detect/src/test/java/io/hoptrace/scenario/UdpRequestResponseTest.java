package io.hoptrace.scenario;

import static io.hoptrace.lab.Lab.*;
import static io.hoptrace.lab.Pkt.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.lab.Harness;
import io.hoptrace.lab.Harnesses;
import io.hoptrace.lab.Lab;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertType;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.PacketSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * UDP request/response between two pods on different nodes, every datagram seen on every hop of
 * both nodes (issue 11 item 1: a healthy exchange raised ONE_WAY on the reverse direction, the
 * server's reply being counted as a request). Whichever side's port looks ephemeral, however few
 * datagrams, in time order or with the server's node reported first: never ONE_WAY. A request to a
 * request/response port that nobody answers still is.
 */
class UdpRequestResponseTest {
  final Lab lab = new Lab();

  /** client port, server port: a service port, an mDNS-like one, ephemeral-looking ones. */
  static final int[][] PORTS = {
    {40000, 9000}, {40001, 5353}, {9000, 40000}, {33000, 45000}, {45000, 33000}
  };

  static Stream<Arguments> exchanges() {
    List<Arguments> out = new ArrayList<>();
    Harnesses.all()
        .forEach(
            h -> {
              for (boolean clientOnA : new boolean[] {true, false}) {
                for (int[] ports : PORTS) {
                  for (int n : new int[] {1, 3}) {
                    out.add(
                        Arguments.of(
                            h,
                            Named.of(
                                clientOnA ? "client on node-a" : "client on node-b", clientOnA),
                            ports[0],
                            ports[1],
                            n));
                  }
                }
              }
            });
    return out.stream();
  }

  /** n request/reply exchanges, {@code gap} s apart; the reply 1 ms after the request. */
  private List<PacketSummary> exchange(boolean clientOnA, int cport, int sport, int n, double gap) {
    String client = clientOnA ? POD_A : POD_B;
    String server = clientOnA ? POD_B : POD_A;
    List<Hop> there = clientOnA ? A_TO_B : B_TO_A;
    List<Hop> back = clientOnA ? B_TO_A : A_TO_B;
    List<PacketSummary> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.addAll(lab.over(udp(client, cport, server, sport, 20), sec(i * gap), there));
      out.addAll(lab.over(udp(server, sport, client, cport, 20), sec(i * gap + 0.001), back));
    }
    return out;
  }

  private static void assertHealthy(Harness h, String client, int cport, String server, int sport) {
    assertThat(h.alerts()).extracting(Alert::getType).isEmpty();
    List<FlowRecord> flows = h.finalFlows();
    assertThat(flows).hasSize(1);
    FlowRecord f = flows.get(0);
    assertThat(f.getVerdict()).isEqualTo("OK");
    assertThat(f.getTuples().get(0).getSrc()).isEqualTo(client);
    assertThat(f.getTuples().get(0).getSport()).isEqualTo(cport);
    assertThat(f.getTuples().get(0).getDst()).isEqualTo(server);
    assertThat(f.getTuples().get(0).getDport()).isEqualTo(sport);
  }

  @ParameterizedTest(name = "{0} {1} {2}->{3} x{4}")
  @MethodSource("exchanges")
  void answeredUdpIsNeverOneWay(
      Supplier<Harness> make, boolean clientOnA, int cport, int sport, int n) {
    try (Harness h = make.get()) {
      h.nodes(Lab.inventory());
      h.send(exchange(clientOnA, cport, sport, n, 1));
      h.idle(15_000_000_000L);
      h.finish();
      assertHealthy(h, clientOnA ? POD_A : POD_B, cport, clientOnA ? POD_B : POD_A, sport);
    }
  }

  @ParameterizedTest(name = "{0} {1} {2}->{3} x{4}")
  @MethodSource("exchanges")
  void answeredUdpIsNeverOneWayWhenTheServersNodeReportsFirst(
      Supplier<Harness> make, boolean clientOnA, int cport, int sport, int n) {
    try (Harness h = make.get()) {
      h.nodes(Lab.inventory());
      String serverNode = clientOnA ? "node-b" : "node-a";
      // within the lateness (2 s), the server node's sensor publishes its whole capture first,
      // then the client's, each interface in capture order
      List<PacketSummary> all = exchange(clientOnA, cport, sport, n, 0.2);
      all.sort(
          Comparator.comparing((PacketSummary p) -> !p.getNode().equals(serverNode))
              .thenComparing(PacketSummary::getIface)
              .thenComparingLong(PacketSummary::getTsNanos));
      h.send(all);
      h.idle(15_000_000_000L);
      h.finish();
      assertHealthy(h, clientOnA ? POD_A : POD_B, cport, clientOnA ? POD_B : POD_A, sport);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.hoptrace.lab.Harnesses#all")
  void serverRepliesOnlyNeverMakeTheReplyARequest(Supplier<Harness> make) {
    // pod-b1 answers from 9000 to pod-a1:40000; pod-a1's sensor reports later than pod-b1's
    try (Harness h = make.get()) {
      h.nodes(Lab.inventory());
      List<PacketSummary> all = exchange(true, 40000, 9000, 2, 0.2);
      List<PacketSummary> replies = new ArrayList<>();
      List<PacketSummary> requests = new ArrayList<>();
      for (PacketSummary p : all) {
        (p.getSport() == 9000 ? replies : requests).add(p);
      }
      h.send(replies);
      h.send(requests);
      h.idle(15_000_000_000L);
      h.finish();
      assertHealthy(h, POD_A, 40000, POD_B, 9000);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.hoptrace.lab.Harnesses#all")
  void unansweredRequestToARequestResponsePortStillIsOneWay(Supplier<Harness> make) {
    try (Harness h = make.get()) {
      h.nodes(Lab.inventory());
      h.send(lab.over(udp(POD_A, 40000, POD_B, 123, 48), sec(0), A_TO_B));
      h.idle(12_000_000_000L);
      List<Alert> oneWay = h.firing(AlertType.ONE_WAY);
      assertThat(oneWay).hasSize(1);
      assertThat(oneWay.get(0).getLostAt().getDirection()).isEqualTo("forward");
      assertThat(oneWay.get(0).getSubject().getDport()).isEqualTo(123);
      assertThat(oneWay.get(0).getSubject().getSrc()).isEqualTo(POD_A);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.hoptrace.lab.Harnesses#all")
  void requestsUnansweredAfterAnEarlierReplyAreOneWay(Supplier<Harness> make) {
    // a request/response flow on non-service ports (the reverse was seen): the server's later
    // answers stop coming, the client keeps asking
    try (Harness h = make.get()) {
      h.nodes(Lab.inventory());
      h.send(exchange(true, 40000, 9000, 1, 1));
      for (double t : new double[] {1, 2, 3}) {
        h.send(lab.over(udp(POD_A, 40000, POD_B, 9000, 20), sec(t), A_TO_B));
      }
      h.idle(12_000_000_000L);
      List<Alert> oneWay = h.firing(AlertType.ONE_WAY);
      assertThat(oneWay).hasSize(1);
      assertThat(oneWay.get(0).getLostAt().getDirection()).isEqualTo("forward");
      assertThat(oneWay.get(0).getSubject().getSrc()).isEqualTo(POD_A);
      assertThat(oneWay.get(0).getSubject().getDport()).isEqualTo(9000);
    }
  }
}
