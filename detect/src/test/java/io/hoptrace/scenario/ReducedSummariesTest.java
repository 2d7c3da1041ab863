package io.hoptrace.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.lab.CoreHarness;
import io.hoptrace.lab.Recordings;
import io.hoptrace.reduce.Reducer;
import io.hoptrace.reduce.ReducerConfig;
import io.hoptrace.reduce.ReducerStats;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.FlowHopCounters;
import io.hoptrace.schema.PacketSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reduced summaries change no alert: every bundled recording (deploy/lab/recordings/*) replayed
 * through the core in full mode (every summary) and in reduced mode (what the sensor's {@link
 * Reducer} publishes: packets that matter one by one, the rest as counters) gives the same alerts,
 * compared by (type, subject, lostAt) over every alert record (FIRING and RESOLVED).
 */
class ReducedSummariesTest {
  private static long offered;
  private static long folded;

  static Stream<String> recordings() throws IOException {
    try (Stream<Path> dirs = Files.list(Path.of("..", "deploy", "lab", "recordings"))) {
      return dirs
          .filter(d -> Files.exists(d.resolve("manifest.json")))
          .map(d -> d.getFileName().toString())
          .sorted()
          .toList()
          .stream();
    }
  }

  /** What a sensor publishes in reduced mode for these summaries, in order. */
  static List<SpecificRecord> reduce(List<PacketSummary> in, ReducerConfig cfg, ReducerStats[] st) {
    List<SpecificRecord> out = new ArrayList<>();
    Reducer r =
        new Reducer(
            cfg,
            new Reducer.Output() {
              @Override
              public void summary(PacketSummary s) {
                out.add(s);
              }

              @Override
              public void counters(FlowHopCounters c) {
                out.add(c);
              }
            },
            Reducer.MtuLookup.UNKNOWN);
    in.forEach(r::offer);
    r.finish();
    st[0] = r.stats();
    return out;
  }

  static TreeSet<String> alertKeys(List<Alert> alerts) {
    TreeSet<String> out = new TreeSet<>();
    for (Alert a : alerts) {
      out.add(a.getType() + " " + a.getSubject() + " lostAt=" + a.getLostAt());
    }
    return out;
  }

  static Stream<org.junit.jupiter.params.provider.Arguments> cases() throws IOException {
    return recordings()
        .flatMap(
            n ->
                Stream.of(ReducerConfig.DEFAULT_FIRST_PACKETS, 0)
                    .map(f -> org.junit.jupiter.params.provider.Arguments.of(n, f)));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void reducedModeRaisesTheAlertsOfFullMode(String name, int firstPackets) {
    Recordings rec = Recordings.read(name);
    CoreHarness full = rec.replay();

    ReducerStats[] st = new ReducerStats[1];
    List<SpecificRecord> reduced =
        reduce(rec.inTimeOrder(), ReducerConfig.defaults().withFirstPackets(firstPackets), st);
    CoreHarness h = new CoreHarness();
    h.nodes(rec.nodes());
    h.sendRecords(reduced);
    h.finish();

    assertThat(alertKeys(h.alerts()))
        .as(name + " first " + firstPackets)
        .isEqualTo(alertKeys(full.alerts()));
    assertThat(st[0].packets()).isEqualTo(rec.inTimeOrder().size());
    offered += st[0].packets();
    folded += st[0].folded();
    System.out.printf(
        "%s first %d: %d packets, %d summaries + %d counters (%d folded)%n",
        name,
        firstPackets,
        st[0].packets(),
        st[0].summaries(),
        st[0].counterRecords(),
        st[0].folded());
  }

  /** The comparison means something: the recordings' packets were not all sent one by one. */
  @AfterAll
  static void somePacketsWereFolded() {
    assertThat(folded).as("packets folded of %d", offered).isPositive();
  }
}
