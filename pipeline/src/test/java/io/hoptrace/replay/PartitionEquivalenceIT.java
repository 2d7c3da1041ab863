package io.hoptrace.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.decode.DecoderConfig;
import io.hoptrace.pipeline.EmbeddedPipeline;
import io.hoptrace.pipeline.PipelineConfig;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.HopStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bundled lab recording through the real pipeline (embedded broker, Kafka Streams job) with
 * the packets topic at 1, 3 and 12 partitions and 1 or 2 stream threads: identical alerts (type,
 * status, subject, lostAt, count) and identical final flow records (tuples, verdict, per-hop
 * counts). The replay publishes every summary under its conversation's key (NatLinkScanner), so the
 * nodeport and ClusterIP (healthy) conversations stay stitched at every partition count.
 *
 * <p>Not yet equal, so not listed here (issue 10 stays open on them): {@code dns} (with 3
 * partitions one of the two resolvers' DNS_FAILURE alerts is missing: stage 2 gets the per-query
 * failures of one resolver from several tasks) and {@code dual-ip} (with 3 partitions the VTEP
 * mismatch found by the inventory audit on partition 0's task and the one found in traffic reach
 * stage 2 under different finding keys on different tasks: two VTEP_MISMATCH alerts instead of
 * one), {@code wrong-vtep} (the VTEP_MISMATCH count is 5 or 6 at 12 partitions from one run to the
 * next: traffic findings of one VTEP fault reach stage 2 from several tasks).
 */
class PartitionEquivalenceIT {
  private static final Path RECORDINGS = Path.of("..", Recordings.RECORDINGS);

  /** Recordings whose results still depend on the partition count (see the class comment). */
  private static final java.util.Set<String> NOT_YET_EQUAL =
      java.util.Set.of("dns", "dual-ip", "wrong-vtep");

  /** {partitions, threads}; the first is the reference. */
  private static final int[][] CONFIGS = {{1, 1}, {3, 2}, {12, 1}};

  static Stream<String> recordings() throws Exception {
    try (Stream<Path> s = Files.list(RECORDINGS)) {
      return s
          .filter(d -> Files.exists(d.resolve("manifest.json")))
          .map(d -> d.getFileName().toString())
          .filter(n -> !NOT_YET_EQUAL.contains(n))
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest
  @MethodSource("recordings")
  void sameAlertsAndFlowsAtEveryPartitionCount(String scenario) throws Exception {
    Manifest m = ManifestReader.read(RECORDINGS.resolve(scenario).resolve("manifest.json"));
    List<String> refAlerts = null;
    List<String> refFlows = null;
    for (int[] c : CONFIGS) {
      Analysis.Result r;
      PipelineConfig cfg =
          new PipelineConfig(
              Map.of(PipelineConfig.PACKETS_PARTITIONS, c[0], PipelineConfig.STREAM_THREADS, c[1]));
      try (EmbeddedPipeline p = EmbeddedPipeline.builder().config(cfg).start()) {
        r =
            new Analysis(p, DecoderConfig.defaults(), InstantSource.system(), Duration.ofMinutes(2))
                .run(m, msg -> {});
      }
      List<String> alerts =
          r.alerts().stream().map(PartitionEquivalenceIT::alert).sorted().toList();
      List<String> flows = r.flows().stream().map(PartitionEquivalenceIT::flow).sorted().toList();
      assertThat(flows).as("%s: flow records", scenario).isNotEmpty();
      if (refAlerts == null) {
        refAlerts = alerts;
        refFlows = flows;
      } else {
        String what = scenario + " at " + c[0] + " partitions, " + c[1] + " thread(s)";
        assertThat(alerts).as("%s: alerts", what).isEqualTo(refAlerts);
        assertThat(flows).as("%s: flow records", what).isEqualTo(refFlows);
      }
    }
    if (scenario.equals("nodeport") || scenario.equals("healthy")) {
      // the NAT-ed conversations are one flow record spanning several tuples
      assertThat(refFlows).anyMatch(f -> f.contains(" || "));
    }
  }

  private static String alert(Alert a) {
    return a.getType()
        + " "
        + a.getStatus()
        + " "
        + a.getSubject()
        + " lostAt="
        + a.getLostAt()
        + " count="
        + a.getCount();
  }

  private static String flow(FlowRecord f) {
    String tuples =
        f.getTuples().stream().map(Object::toString).collect(Collectors.joining(" || "));
    String hops =
        f.getHops().stream()
            .map(PartitionEquivalenceIT::hop)
            .sorted()
            .collect(Collectors.joining(", "));
    return f.getConversationId() + " [" + tuples + "] " + f.getVerdict() + " {" + hops + "}";
  }

  private static String hop(HopStats h) {
    return h.toString();
  }
}
