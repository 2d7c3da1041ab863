package io.hoptrace.scenario;

import static io.hoptrace.lab.Lab.*;
import static io.hoptrace.lab.Pkt.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.contract.HopId;
import io.hoptrace.lab.CoreHarness;
import io.hoptrace.lab.Lab;
import io.hoptrace.lab.Pkt;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.FiveTuple;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.HopStats;
import io.hoptrace.schema.PacketSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Detection must not depend on the order in which the hops' packets reach it (each hop publishes on
 * its own, so arrival order across hops varies within the lateness bound). The conversation is the
 * lab's ClusterIP call: pod-a1 → 10.96.0.10:80, DNAT-ed on node-a's bridge (br_netfilter) to
 * pod-b1:8080 over VXLAN; the reply is de-NAT-ed on node-a, so node-a's bridge sees the forward
 * packets under the translated tuple and the replies under the original one.
 */
class ArrivalOrderTest {
  static final String SVC = "10.96.0.10";
  static final int SPORT = 40003;

  /** node-a hops that see the original (pre-DNAT) tuple, per direction. */
  private static final List<Hop> FWD_PRE = List.of(A_POD, A_VETH);

  private static final List<Hop> FWD_POST =
      List.of(A_CNI, A_VTEP, A_UP, B_UP, B_VTEP, B_CNI, B_VETH, B_POD);
  private static final List<Hop> REV_POST =
      List.of(B_POD, B_VETH, B_CNI, B_VTEP, B_UP, A_UP, A_VTEP);
  private static final List<Hop> REV_PRE = List.of(A_CNI, A_VETH, A_POD);

  /** Every hop's summaries of the conversation, in capture-time order. */
  static List<PacketSummary> clusterIpCall(double t0) {
    Lab lab = new Lab();
    List<PacketSummary> out = new ArrayList<>();
    double t = t0;
    out.addAll(fwd(lab, tcp(POD_A, SPORT, SVC, 80, SYN, 100, 0, 0), t));
    out.addAll(rev(lab, tcp(SVC, 80, POD_A, SPORT, SYN | ACK, 900, 101, 0), t += 0.001));
    out.addAll(fwd(lab, tcp(POD_A, SPORT, SVC, 80, ACK, 101, 901, 0), t += 0.001));
    out.addAll(fwd(lab, tcp(POD_A, SPORT, SVC, 80, ACK | PSH, 101, 901, 21), t += 0.020));
    out.addAll(rev(lab, tcp(SVC, 80, POD_A, SPORT, ACK, 901, 122, 0), t += 0.001));
    out.addAll(rev(lab, tcp(SVC, 80, POD_A, SPORT, ACK | PSH, 901, 122, 40), t += 0.003));
    out.addAll(fwd(lab, tcp(POD_A, SPORT, SVC, 80, ACK, 122, 941, 0), t += 0.001));
    out.addAll(rev(lab, tcp(SVC, 80, POD_A, SPORT, ACK | FIN, 941, 122, 0), t += 0.006));
    out.addAll(fwd(lab, tcp(POD_A, SPORT, SVC, 80, ACK | FIN, 122, 942, 0), t += 0.002));
    out.addAll(rev(lab, tcp(SVC, 80, POD_A, SPORT, ACK, 942, 123, 0), t += 0.001));
    out.sort(Comparator.comparingLong(PacketSummary::getTsNanos));
    return out;
  }

  private static List<PacketSummary> fwd(Lab lab, Pkt pre, double t) {
    Pkt post = pre.natted(POD_A, SPORT, POD_B, 8080);
    List<PacketSummary> out = new ArrayList<>(lab.over(pre, sec(t), FWD_PRE));
    out.addAll(lab.over(post, sec(t) + 20_000L * FWD_PRE.size(), FWD_POST));
    return out;
  }

  private static List<PacketSummary> rev(Lab lab, Pkt pre, double t) {
    Pkt post = pre.natted(POD_B, 8080, POD_A, SPORT);
    List<PacketSummary> out = new ArrayList<>(lab.over(post, sec(t), REV_POST));
    out.addAll(lab.over(pre, sec(t) + 20_000L * REV_POST.size(), REV_PRE));
    return out;
  }

  private static String hopOf(PacketSummary p) {
    return HopId.format(p.getNode(), p.getPod(), p.getIface());
  }

  /** Uplinks first, then VTEPs, bridges, veths, pods last; each hop's packets in time order. */
  private static List<PacketSummary> hopByHop(List<PacketSummary> in, boolean uplinkFirst) {
    Comparator<PacketSummary> byRole =
        Comparator.comparingInt(
            p ->
                switch (p.getRole()) {
                  case UPLINK -> 0;
                  case VTEP, TUNNEL -> 1;
                  case BRIDGE -> 2;
                  case VETH -> 3;
                  default -> 4;
                });
    if (!uplinkFirst) {
      byRole = byRole.reversed();
    }
    List<PacketSummary> out = new ArrayList<>(in);
    out.sort(
        byRole.thenComparing(ArrivalOrderTest::hopOf).thenComparingLong(PacketSummary::getTsNanos));
    return out;
  }

  private static List<PacketSummary> shuffled(List<PacketSummary> in, long seed) {
    List<PacketSummary> out = new ArrayList<>(in);
    java.util.Collections.shuffle(out, new Random(seed));
    return out;
  }

  private static List<PacketSummary> reversed(List<PacketSummary> in) {
    List<PacketSummary> out = new ArrayList<>(in);
    java.util.Collections.reverse(out);
    return out;
  }

  static Stream<Named<UnaryOperator<List<PacketSummary>>>> orders() {
    return Stream.of(
        Named.of("time order", l -> l),
        Named.of("hop by hop, uplinks first, pods last", l -> hopByHop(l, true)),
        Named.of("hop by hop, pods first, uplinks last", l -> hopByHop(l, false)),
        Named.of("reverse time order", ArrivalOrderTest::reversed),
        Named.of("shuffle 1", l -> shuffled(l, 1)),
        Named.of("shuffle 7", l -> shuffled(l, 7)),
        Named.of("shuffle 42", l -> shuffled(l, 42)),
        Named.of("shuffle 2024", l -> shuffled(l, 2024)));
  }

  /** What detection says about the input, independent of record emission order. */
  private static List<String> outcome(List<PacketSummary> arrival) {
    CoreHarness h = new CoreHarness();
    h.nodes(Lab.inventory());
    h.send(arrival);
    h.finish();
    List<String> out = new ArrayList<>();
    for (Alert a : h.alerts()) {
      out.add("alert " + a.getType() + " " + a.getStatus() + " " + a.getLostAt());
    }
    for (FlowRecord f : h.finalFlows()) {
      out.add(
          "flow "
              + f.getVerdict()
              + " "
              + f.getTuples().stream().map(ArrivalOrderTest::text).collect(Collectors.toList())
              + " "
              + letters(f.getTcpState())
              + " "
              + f.getHops().stream()
                  .map(s -> s.getHop() + ":" + s.getFwdPackets() + "/" + s.getRevPackets())
                  .collect(Collectors.toList()));
    }
    return out;
  }

  /** The TCP history as a set of letters: their order still follows arrival. */
  private static String letters(String history) {
    return history == null
        ? null
        : history.chars().sorted().mapToObj(Character::toString).collect(Collectors.joining());
  }

  private static String text(FiveTuple t) {
    return t.getSrc() + ":" + t.getSport() + "->" + t.getDst() + ":" + t.getDport();
  }

  @ParameterizedTest
  @MethodSource("orders")
  void natedClusterIpCallGivesTheSameResultInAnyArrivalOrder(
      UnaryOperator<List<PacketSummary>> order) {
    List<PacketSummary> input = clusterIpCall(0);
    List<String> expected = outcome(input);
    assertThat(outcome(order.apply(input))).isEqualTo(expected);
  }

  @ParameterizedTest
  @MethodSource("orders")
  void natedClusterIpCallIsOneHealthyConversationWithBothTuples(
      UnaryOperator<List<PacketSummary>> order) {
    CoreHarness h = new CoreHarness();
    h.nodes(Lab.inventory());
    h.send(order.apply(clusterIpCall(0)));
    h.finish();
    assertThat(h.alerts()).isEmpty();
    List<FlowRecord> flows = h.finalFlows();
    assertThat(flows).hasSize(1);
    FlowRecord f = flows.get(0);
    assertThat(f.getVerdict()).isEqualTo("OK");
    assertThat(f.getTuples())
        .extracting(ArrivalOrderTest::text)
        .containsExactlyInAnyOrder(
            POD_A + ":" + SPORT + "->" + SVC + ":80", POD_A + ":" + SPORT + "->" + POD_B + ":8080");
    // node-a's bridge sees both tuples (forward translated, replies de-NAT-ed): 11 slots, 10 hops
    assertThat(f.getHops()).extracting(HopStats::getHop).hasSize(11).containsOnlyOnce(A_POD.id());
  }
}
