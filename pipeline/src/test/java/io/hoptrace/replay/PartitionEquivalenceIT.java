package io.hoptrace.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.decode.DecoderConfig;
import io.hoptrace.lab.Compared;
import io.hoptrace.lab.ReferenceInputs;
import io.hoptrace.pipeline.EmbeddedPipeline;
import io.hoptrace.pipeline.PipelineConfig;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.HopStats;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bundled lab recording and every Zeek trace of the cli ITs (single-capture replays, {@link
 * Manifest#ofCapture}) through the real pipeline (embedded broker, Kafka Streams job) with the
 * packets topic at 1, 3 and 12 partitions and 1 or 2 stream threads: identical alerts (type,
 * status, subject, lostAt, count) and identical final flow records (tuples, verdict, per-hop
 * counts). The replay publishes every summary under its conversation's key (NatLinkScanner), so the
 * nodeport and ClusterIP (healthy) conversations stay stitched at every partition count; stage 2
 * takes the findings of every stage-1 task in event-time order and ends its input once every task
 * has (FindingOrder).
 */
class PartitionEquivalenceIT {
  private static SharedBroker broker;

  @BeforeAll
  static void broker() {
    broker = new SharedBroker("partitions");
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  /** {partitions, threads}; the first is the reference. */
  private static final int[][] CONFIGS = {{1, 1}, {3, 2}, {12, 1}};

  static Stream<String> inputs() {
    return ReferenceInputs.all().stream();
  }

  static Manifest manifest(String input) {
    return ReferenceInputs.isCapture(input)
        ? Manifest.ofCapture(ReferenceInputs.capture(input))
        : ManifestReader.read(ReferenceInputs.manifest(input));
  }

  @ParameterizedTest
  @MethodSource("inputs")
  void sameAlertsAndFlowsAtEveryPartitionCount(String scenario) throws Exception {
    Manifest m = manifest(scenario);
    List<String> refAlerts = null;
    List<String> refFlows = null;
    for (int[] c : CONFIGS) {
      Analysis.Result r;
      PipelineConfig cfg =
          new PipelineConfig(
              Map.of(PipelineConfig.PACKETS_PARTITIONS, c[0], PipelineConfig.STREAM_THREADS, c[1]));
      try (EmbeddedPipeline p = broker.pipeline().config(cfg).start()) {
        r =
            new Analysis(p, DecoderConfig.defaults(), InstantSource.system(), Duration.ofMinutes(2))
                .run(m, msg -> {});
      }
      List<String> alerts = r.alerts().stream().map(Compared::alert).sorted().toList();
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
