package io.hoptrace.scenario;

import static io.hoptrace.lab.Lab.*;
import static io.hoptrace.lab.Pkt.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.lab.Harness;
import io.hoptrace.lab.Harnesses;
import io.hoptrace.lab.Lab;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.AlertType;
import io.hoptrace.schema.LostAt;
import io.hoptrace.schema.PacketSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random loss, not MTU (issue 11, items 3 and 4): 30 % of the VXLAN datagrams to one node are
 * dropped at random after its uplink (iptables statistic on its INPUT), 8 concurrent TCP uploads to
 * a pod on that node with segments of mixed large sizes (1412 to 1450 bytes). Lost sizes and
 * passing sizes overlap: no MTU_BLACKHOLE. The 8 flows retransmit at once: ONE storm for the
 * destination, with the segment where the retransmitted segments disappear (after the receiving
 * node's uplink, before its flannel.1).
 */
class RandomLossTest {
  static final int FLOWS = 8;
  static final int[] SIZES = {1450, 1412, 1450, 1430};

  /** Uploads from node-a to node-b, or from node-b to node-a. */
  record Way(String client, String server, List<Hop> out, List<Hop> back, Hop up, Hop vtep) {}

  static Stream<Arguments> waysAndHarnesses() {
    Way ab = new Way(POD_A, POD_B, A_TO_B, B_TO_A, B_UP, B_VTEP);
    Way ba = new Way(POD_B, POD_A, B_TO_A, A_TO_B, A_UP, A_VTEP);
    return Harnesses.all().flatMap(h -> Stream.of(Arguments.of(h, ab), Arguments.of(h, ba)));
  }

  /** One upload: handshake, 30 segments, each lost with 30 % (also when retransmitted). */
  private static void upload(
      List<PacketSummary> out, Lab lab, Way w, int sport, double t0, Random r) {
    String c = w.client();
    String s = w.server();
    List<Hop> toReceiverUplink = w.out().subList(0, 6);
    out.addAll(lab.over(tcp(c, sport, s, 5201, SYN, 100, 0, 0), sec(t0), w.out()));
    out.addAll(lab.over(tcp(s, 5201, c, sport, SYN | ACK, 900, 101, 0), sec(t0 + 0.001), w.back()));
    out.addAll(lab.over(tcp(c, sport, s, 5201, ACK, 101, 901, 0), sec(t0 + 0.002), w.out()));
    long seq = 101;
    for (int i = 0; i < 30; i++) {
      int size = SIZES[(i + sport) % SIZES.length];
      double t = t0 + 0.01 + i * 0.01;
      // a lost segment is retransmitted after 0.25 s, then after 0.5 s more, until it passes
      for (int attempt = 0; ; attempt++) {
        boolean lost = r.nextDouble() < 0.3 && attempt < 3;
        out.addAll(
            lab.over(
                tcp(c, sport, s, 5201, ACK | PSH, seq, 901, 0).size(size),
                sec(t),
                lost ? toReceiverUplink : w.out()));
        if (!lost) {
          break;
        }
        t += 0.25 * (attempt + 1);
      }
      seq += size - 52;
      out.addAll(lab.over(tcp(s, 5201, c, sport, ACK, 901, seq, 0), sec(t + 0.0005), w.back()));
    }
  }

  @ParameterizedTest
  @MethodSource("waysAndHarnesses")
  void randomLossOverManyFlowsIsOneLocalisedStormAndNoMtuBlackhole(Supplier<Harness> make, Way w) {
    try (Harness h = make.get()) {
      h.nodes(Lab.inventory());
      Lab lab = new Lab();
      Random r = new Random(11);
      List<PacketSummary> all = new ArrayList<>();
      for (int f = 0; f < FLOWS; f++) {
        upload(all, lab, w, 42000 + f, f * 0.003, r);
      }
      all.sort(Comparator.comparingLong(PacketSummary::getTsNanos));
      h.send(all);
      h.idle(5_000_000_000L);

      assertThat(h.alerts(AlertType.MTU_BLACKHOLE)).isEmpty();
      assertThat(h.alerts(AlertType.ONE_WAY)).isEmpty();
      List<Alert> storms = h.firing(AlertType.RETRANSMISSION_STORM);
      List<Alert> aggregated =
          storms.stream().filter(a -> a.getSubject().getKind().equals("DESTINATION")).toList();
      assertThat(aggregated).hasSize(1);
      Alert agg = aggregated.get(0);
      assertThat(agg.getSubject().getDst()).isEqualTo(w.server());
      assertThat(agg.getEvidence().getCounts().get("flows")).isGreaterThanOrEqualTo(5L);
      LostAt at = agg.getLostAt();
      assertThat(at).isNotNull();
      assertThat(at.getAfter()).isEqualTo(w.up().id());
      assertThat(at.getBefore()).isEqualTo(w.vtep().id());
      assertThat(agg.getHint()).contains("between " + w.up().id() + " and " + w.vtep().id());
      // flows that stormed alone before the aggregate fired are localised, then folded into it
      List<Alert> perFlow =
          storms.stream().filter(a -> a.getSubject().getKind().equals("FLOW")).toList();
      assertThat(perFlow).allSatisfy(a -> assertThat(a.getLostAt()).isNotNull());
      Set<String> resolved =
          h.alerts(AlertType.RETRANSMISSION_STORM).stream()
              .filter(a -> a.getStatus() == AlertStatus.RESOLVED)
              .map(Alert::getId)
              .collect(Collectors.toSet());
      assertThat(perFlow).allSatisfy(a -> assertThat(resolved).contains(a.getId()));
      h.finish();
      assertThat(h.alerts(AlertType.MTU_BLACKHOLE)).isEmpty();
    }
  }
}
