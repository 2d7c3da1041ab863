package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code hoptrace analyze --engine flink} prints what {@code --engine streams} prints (alerts and,
 * with --flows, flow records as JSON lines), also with the Flink job at parallelism 2 over 12
 * packets partitions. Every recording through both engines is flink/EngineParityIT's; here the
 * command line on two of them (one-way loss; NodePort NAT).
 */
class AnalyzeEngineIT {

  @ParameterizedTest
  @ValueSource(strings = {"vxlan-blocked", "nodeport"})
  void flinkPrintsWhatKafkaStreamsPrints(String scenario) {
    String manifest =
        CliRun.repoRoot()
            .resolve("deploy/lab/recordings")
            .resolve(scenario)
            .resolve("manifest.json")
            .toString();
    CliRun streams = CliRun.run("analyze", "--flows", manifest);
    CliRun flink =
        CliRun.run(
            "analyze",
            "--flows",
            "--engine",
            "flink",
            "--parallelism",
            "2",
            "--partitions",
            "12",
            manifest);
    assertThat(streams.exitCode()).as(streams.err()).isZero();
    assertThat(flink.exitCode()).as(flink.err()).isZero();
    assertThat(flink.err())
        .contains("Flink job (parallelism 2, packets at 12 partition(s), heap state)");
    assertThat(streams.jsonLines()).isNotEmpty();
    assertThat(flink.out().lines().sorted().toList())
        .isEqualTo(streams.out().lines().sorted().toList());
  }
}
