package io.hoptrace.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.decode.DecoderConfig;
import io.hoptrace.pipeline.DetectionHost;
import io.hoptrace.pipeline.EmbeddedPipeline;
import io.hoptrace.replay.Analysis;
import io.hoptrace.replay.Manifest;
import io.hoptrace.replay.ManifestReader;
import io.hoptrace.replay.Recordings;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.FlowRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Parity of the engines: every bundled lab recording replayed through the Kafka Streams job and
 * through the Flink job (each on its own embedded broker, packets at one partition) gives identical
 * alerts (type, status, subject, lost-at, count) and identical final flow records (tuples, verdict,
 * per-hop counts).
 */
class EngineParityIT {
  private static final Path RECORDINGS = Path.of("..", Recordings.RECORDINGS);

  static Stream<String> recordings() throws Exception {
    try (Stream<Path> s = Files.list(RECORDINGS)) {
      return s
          .filter(d -> Files.exists(d.resolve("manifest.json")))
          .map(d -> d.getFileName().toString())
          .sorted()
          .toList()
          .stream();
    }
  }

  static Analysis.Result run(Supplier<DetectionHost> host, Manifest m) throws Exception {
    try (DetectionHost h = host.get()) {
      return new Analysis(
              h, DecoderConfig.defaults(), InstantSource.system(), Duration.ofMinutes(2))
          .run(m, msg -> {});
    }
  }

  @ParameterizedTest
  @MethodSource("recordings")
  void flinkGivesTheAlertsAndFlowsOfKafkaStreams(String scenario) throws Exception {
    Manifest m = ManifestReader.read(RECORDINGS.resolve(scenario).resolve("manifest.json"));
    Analysis.Result streams = run(() -> EmbeddedPipeline.builder().start(), m);
    Analysis.Result flink = run(() -> FlinkHost.builder().start(), m);
    assertThat(streams.flows()).as("%s: flow records", scenario).isNotEmpty();
    assertThat(alerts(flink.alerts()))
        .as("%s: alerts", scenario)
        .isEqualTo(alerts(streams.alerts()));
    assertThat(flows(flink.flows())).as("%s: flows", scenario).isEqualTo(flows(streams.flows()));
  }

  static List<String> alerts(List<Alert> alerts) {
    return alerts.stream()
        .map(
            a ->
                a.getType()
                    + " "
                    + a.getStatus()
                    + " "
                    + a.getSubject()
                    + " lostAt="
                    + a.getLostAt()
                    + " count="
                    + a.getCount())
        .sorted()
        .toList();
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
