package io.hoptrace.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.lab.Compared;
import io.hoptrace.lab.PartitionedHarness;
import io.hoptrace.lab.Recordings;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bundled recording through the two stages as a partitioned host runs them ({@link
 * PartitionedHarness}: stage-1 tasks with their own clocks, their outputs interleaved at random at
 * stage 2): the same alerts at 3 and 12 partitions, whatever the interleaving, as at one.
 */
class PartitionedStagesTest {
  private static final long[] SEEDS = {1, 2, 3, 4};

  static Stream<String> recordings() throws IOException {
    try (Stream<Path> s = Files.list(Recordings.dir("healthy").getParent())) {
      return s
          .filter(d -> Files.exists(d.resolve("manifest.json")))
          .map(d -> d.getFileName().toString())
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest
  @MethodSource("recordings")
  void sameAlertsAtEveryPartitionCountAndInterleaving(String scenario) {
    List<String> reference = alerts(scenario, 1, 0);
    for (int tasks : new int[] {3, 12}) {
      for (long seed : SEEDS) {
        assertThat(alerts(scenario, tasks, seed))
            .as("%s at %d partitions, interleaving %d", scenario, tasks, seed)
            .isEqualTo(reference);
      }
    }
  }

  /** Per alert id its last FIRING record (its last record if it never fired), sorted. */
  private static List<String> alerts(String scenario, int tasks, long seed) {
    PartitionedHarness h = Recordings.read(scenario).replay(new PartitionedHarness(tasks, seed));
    Map<String, Alert> byId = new LinkedHashMap<>();
    for (Alert a : h.alerts()) {
      Alert prev = byId.get(a.getId());
      if (prev == null
          || a.getStatus() == AlertStatus.FIRING
          || prev.getStatus() != AlertStatus.FIRING) {
        byId.put(a.getId(), a);
      }
    }
    return Compared.alerts(byId.values());
  }
}
