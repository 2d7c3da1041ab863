package io.hoptrace.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.detect.Alerts;
import io.hoptrace.lab.CoreHarness;
import io.hoptrace.lab.Recordings;
import io.hoptrace.reduce.Reduced;
import io.hoptrace.reduce.Reducer;
import io.hoptrace.reduce.ReducerConfig;
import io.hoptrace.reduce.ReducerStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
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

    Reduced reduced =
        Reduced.of(rec.inTimeOrder(), ReducerConfig.defaults().withFirstPackets(firstPackets));
    ReducerStats st = reduced.stats();
    CoreHarness h = new CoreHarness();
    h.nodes(rec.nodes());
    h.sendRecords(reduced.records());
    h.finish();

    assertThat(Alerts.identities(h.alerts()))
        .as(name + " first " + firstPackets)
        .isEqualTo(Alerts.identities(full.alerts()));
    assertThat(st.packets()).isEqualTo(rec.inTimeOrder().size());
    offered += st.packets();
    folded += st.folded();
    System.out.printf(
        "%s first %d: %d packets, %d summaries + %d counters (%d folded)%n",
        name, firstPackets, st.packets(), st.summaries(), st.counterRecords(), st.folded());
  }

  /** The comparison means something: the recordings' packets were not all sent one by one. */
  @AfterAll
  static void somePacketsWereFolded() {
    assertThat(folded).as("packets folded of %d", offered).isPositive();
  }
}
