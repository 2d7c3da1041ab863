package io.hoptrace.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.decode.DecoderConfig;
import io.hoptrace.detect.Alerts;
import io.hoptrace.embedded.EmbeddedKafka;
import io.hoptrace.lab.Compared;
import io.hoptrace.lab.ReferenceInputs;
import io.hoptrace.pipeline.DetectionHost;
import io.hoptrace.pipeline.EmbeddedPipeline;
import io.hoptrace.reduce.ReducerConfig;
import io.hoptrace.reduce.SummaryMode;
import io.hoptrace.replay.Analysis;
import io.hoptrace.replay.Manifest;
import io.hoptrace.replay.ManifestReader;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.Topics;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Parity of the engines: every bundled lab recording and the Zeek traces ({@link ReferenceInputs})
 * replayed through the Kafka Streams job and through the Flink job gives identical incidents (id,
 * status, cause, number of alerts), alerts (type, status, subject, lost-at, count) and identical
 * flow records (tuples, verdict, final, per-hop counts); and the Flink job gives the same at
 * parallelism 2 and 4 with the packets topic at 12 partitions (NAT-ed conversations stitched). One
 * broker and one Flink MiniCluster for all runs, each run with topics and a job of its own.
 */
class EngineParityIT {
  private static final AtomicInteger RUN = new AtomicInteger();
  private static EmbeddedKafka kafka;

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(4)
              .build());

  @BeforeAll
  static void broker() {
    kafka = FlinkHost.startBroker();
  }

  @AfterAll
  static void stopBroker() {
    if (kafka != null) {
      kafka.close();
    }
  }

  /** Every bundled recording and the Zeek traces ({@link ReferenceInputs}). */
  static Stream<String> recordings() {
    return ReferenceInputs.all().stream();
  }

  private static Manifest manifest(String input) {
    return ReferenceInputs.isCapture(input)
        ? Manifest.ofCapture(ReferenceInputs.capture(input))
        : ManifestReader.read(ReferenceInputs.manifest(input));
  }

  static Analysis.Result run(Supplier<DetectionHost> host, Manifest m) throws Exception {
    return run(host, m, SummaryMode.FULL, ReducerConfig.defaults());
  }

  static Analysis.Result run(
      Supplier<DetectionHost> host, Manifest m, SummaryMode mode, ReducerConfig reducer)
      throws Exception {
    try (DetectionHost h = host.get()) {
      return new Analysis(
              h, DecoderConfig.defaults(), InstantSource.system(), Duration.ofMinutes(2))
          .summaries(mode)
          .reducer(reducer)
          .run(m, msg -> {});
    }
  }

  private static Analysis.Result streams(Manifest m) throws Exception {
    int n = RUN.incrementAndGet();
    return run(
        () ->
            EmbeddedPipeline.builder()
                .bootstrapServers(kafka.bootstrapServers(), false)
                .topics(Topics.withPrefix("streams" + n + "."))
                .applicationId("streams-" + n)
                .start(),
        m);
  }

  private static Analysis.Result flink(Manifest m, int parallelism, int partitions)
      throws Exception {
    return flink(m, parallelism, partitions, SummaryMode.FULL, ReducerConfig.defaults());
  }

  private static Analysis.Result flink(
      Manifest m, int parallelism, int partitions, SummaryMode mode, ReducerConfig reducer)
      throws Exception {
    int n = RUN.incrementAndGet();
    return run(
        () ->
            FlinkHost.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .environment(StreamExecutionEnvironment::getExecutionEnvironment)
                .topics(Topics.withPrefix("flink" + n + "."))
                .jobId("flink-" + n)
                .parallelism(parallelism)
                .packetsPartitions(partitions)
                .start(),
        m,
        mode,
        reducer);
  }

  /**
   * Reduced summaries through the Flink host (both record kinds on the packets topic, counters to
   * the core): the alerts of full mode, compared as docs/detection.md "Reduced summaries" defines
   * it (type, subject, lostAt over every alert record). No first packets kept, so that counters do
   * the work on these short recordings.
   */
  @ParameterizedTest
  @ValueSource(strings = {"healthy", "nodeport", "mtu-blackhole"})
  void reducedSummariesGiveTheAlertsOfFullMode(String scenario) throws Exception {
    Manifest m = manifest(scenario);
    Analysis.Result full = flink(m, 1, 1);
    Analysis.Result reduced =
        flink(m, 1, 1, SummaryMode.REDUCED, ReducerConfig.defaults().withFirstPackets(0));
    assertThat(reduced.counters()).as("%s: counters sent", scenario).isPositive();
    assertThat(Alerts.identities(reduced.alertRecords()))
        .as("%s: alerts reduced", scenario)
        .isEqualTo(Alerts.identities(full.alertRecords()));
  }

  @ParameterizedTest
  @MethodSource("recordings")
  void flinkGivesTheAlertsAndFlowsOfKafkaStreams(String scenario) throws Exception {
    Manifest m = manifest(scenario);
    Analysis.Result streams = streams(m);
    Analysis.Result flink = flink(m, 1, 1);
    assertThat(flows(streams.flows())).as("%s: flow records", scenario).isNotEmpty();
    assertThat(alerts(flink.alerts()))
        .as("%s: alerts", scenario)
        .isEqualTo(alerts(streams.alerts()));
    assertThat(flows(flink.flows())).as("%s: flows", scenario).isEqualTo(flows(streams.flows()));
    assertThat(incidents(flink.incidents()))
        .as("%s: incidents", scenario)
        .isEqualTo(incidents(streams.incidents()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"nodeport", "healthy", "vxlan-blocked"})
  void parallelismTwoOverTwelvePartitionsGivesTheSameAsOne(String scenario) throws Exception {
    sameAsParallelismOne(scenario, 2);
  }

  /** NodePort (DNAT + SNAT across nodes) and a ClusterIP call (service DNAT), four ways. */
  @ParameterizedTest
  @ValueSource(strings = {"nodeport", "healthy"})
  void parallelismFourOverTwelvePartitionsGivesTheSameAsOne(String scenario) throws Exception {
    sameAsParallelismOne(scenario, 4);
  }

  private static void sameAsParallelismOne(String scenario, int parallelism) throws Exception {
    Manifest m = manifest(scenario);
    Analysis.Result one = flink(m, 1, 1);
    Analysis.Result many = flink(m, parallelism, 12);
    assertThat(alerts(many.alerts()))
        .as("%s at parallelism %d: alerts", scenario, parallelism)
        .isEqualTo(alerts(one.alerts()));
    assertThat(flows(many.flows()))
        .as("%s at parallelism %d: flows", scenario, parallelism)
        .isEqualTo(flows(one.flows()));
    assertThat(incidents(many.incidents()))
        .as("%s at parallelism %d: incidents", scenario, parallelism)
        .isEqualTo(incidents(one.incidents()));
    if (!scenario.equals("vxlan-blocked")) {
      // the NAT-ed conversations (NodePort, ClusterIP) are one flow record spanning several tuples
      assertThat(flows(many.flows())).anyMatch(f -> f.contains(" || "));
    }
  }

  /** {@code actual} has the alerts, flows (some) and incidents of {@code expected}. */
  static void assertSameOutputs(String what, Analysis.Result actual, Analysis.Result expected) {
    assertThat(alerts(actual.alerts())).as("%s: alerts", what).isEqualTo(alerts(expected.alerts()));
    assertThat(flows(actual.flows()))
        .as("%s: flows", what)
        .isNotEmpty()
        .isEqualTo(flows(expected.flows()));
    assertThat(incidents(actual.incidents()))
        .as("%s: incidents", what)
        .isEqualTo(incidents(expected.incidents()));
  }

  /**
   * Each incident's final state: id, status, cause, alerts (the ids are derived from the cause).
   */
  static List<String> incidents(List<io.hoptrace.schema.Incident> incidents) {
    return incidents.stream()
        .map(
            i ->
                i.getId()
                    + " "
                    + i.getStatus()
                    + " "
                    + i.getCauseKind()
                    + " "
                    + i.getCauseKey()
                    + " alerts="
                    + i.getAlertIds().size()
                    + " firing="
                    + i.getFiringAlertIds().size())
        .sorted()
        .toList();
  }

  static List<String> alerts(List<Alert> alerts) {
    return Compared.alerts(alerts);
  }

  static List<String> flows(List<FlowRecord> flows) {
    return flows.stream()
        .map(
            f ->
                f.getConversationId()
                    + " ["
                    + f.getTuples().stream()
                        .map(Object::toString)
                        .collect(Collectors.joining(" || "))
                    + "] "
                    + f.getVerdict()
                    + " final="
                    + f.getFinal$()
                    + " {"
                    + f.getHops().stream()
                        .map(Object::toString)
                        .sorted()
                        .collect(Collectors.joining(", "))
                    + "}")
        .sorted()
        .toList();
  }
}
