package io.hoptrace.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.decode.DecoderConfig;
import io.hoptrace.detect.Alerts;
import io.hoptrace.pipeline.EmbeddedPipeline;
import io.hoptrace.reduce.ReducerConfig;
import io.hoptrace.reduce.SummaryMode;
import java.time.Duration;
import java.time.InstantSource;
import java.util.SortedSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reduced summaries end to end (issue 13's acceptance): every bundled lab recording and every Zeek
 * trace of the cli ITs replayed through the real pipeline (embedded broker, packets topic carrying
 * both record kinds, Kafka Streams job) in full mode and in reduced mode — with the default reducer
 * and with no first packets kept (where the counters do real work on these short recordings) —
 * gives identical alerts: (type, subject, lostAt) over every alert record, FIRING and RESOLVED, as
 * docs/detection.md "Reduced summaries" defines the equivalence (counts are estimated in reduced
 * mode).
 */
class ReducedSummariesIT {
  private static long packets;
  private static long counters;
  private static long records;

  static java.util.stream.Stream<String> inputs() throws Exception {
    return PartitionEquivalenceIT.inputs();
  }

  private static SharedBroker broker;

  @BeforeAll
  static void broker() {
    broker = new SharedBroker("reduced");
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  private static Analysis.Result run(Manifest m, SummaryMode mode, ReducerConfig cfg) {
    try (EmbeddedPipeline p = broker.pipeline().start()) {
      return new Analysis(
              p, DecoderConfig.defaults(), InstantSource.system(), Duration.ofMinutes(2))
          .summaries(mode)
          .reducer(cfg)
          .run(m, msg -> {});
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @ParameterizedTest
  @MethodSource("inputs")
  void reducedModeRaisesTheAlertsOfFullMode(String input) {
    Manifest m = PartitionEquivalenceIT.manifest(input);
    Analysis.Result full = run(m, SummaryMode.FULL, ReducerConfig.defaults());
    assertThat(full.counters()).isZero();
    assertThat(full.records()).isEqualTo(full.summaries());
    SortedSet<String> expected = Alerts.identities(full.alertRecords());
    for (ReducerConfig cfg :
        new ReducerConfig[] {
          ReducerConfig.defaults(), ReducerConfig.defaults().withFirstPackets(0)
        }) {
      Analysis.Result reduced = run(m, SummaryMode.REDUCED, cfg);
      assertThat(reduced.summaries()).isEqualTo(full.summaries());
      assertThat(Alerts.identities(reduced.alertRecords()))
          .as("%s reduced, first packets %d", input, cfg.firstPackets())
          .isEqualTo(expected);
      packets += reduced.summaries();
      counters += reduced.counters();
      records += reduced.records();
      System.out.printf(
          "%s first %d: %d packets -> %d records (%d counters); %d alert identities%n",
          input,
          cfg.firstPackets(),
          reduced.summaries(),
          reduced.records(),
          reduced.counters(),
          expected.size());
    }
  }

  /** The comparison means something: counters went through the job, fewer records than packets. */
  @AfterAll
  static void countersWentThroughTheJob() {
    assertThat(counters).as("counters records sent").isPositive();
    assertThat(records).as("records sent for %d packets", packets).isLessThan(packets);
  }
}
