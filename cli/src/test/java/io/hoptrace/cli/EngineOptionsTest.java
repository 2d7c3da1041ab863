package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * --engine, --parallelism and --state-backend are checked before anything starts: one error line
 * naming the option (the manifest given does not exist, so a later check would name it).
 */
class EngineOptionsTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "analyze --parallelism 2 /nonexistent/manifest.json | --parallelism applies to --engine flink",
        "analyze --engine flink --parallelism 0 /nonexistent/manifest.json | --parallelism 0: must be"
            + " >= 1",
        "analyze --engine flink --threads 2 /nonexistent/manifest.json | --threads applies to"
            + " --engine streams",
        "analyze --engine flink --bootstrap 127.0.0.1:1 /nonexistent/manifest.json | --bootstrap is"
            + " not supported with it",
        "analyze --engine spark /nonexistent/manifest.json | --engine",
        "analyze --state-backend rocksdb /nonexistent/manifest.json | --state-backend applies to"
            + " --engine flink",
        "analyze --engine flink --state-backend disk /nonexistent/manifest.json | --state-backend",
        "demo --engine flink --threads 2 | --threads applies to --engine streams",
        "demo --parallelism 2 | --parallelism applies to --engine flink",
        "bench detect --engine flink --streams-property a=b | --streams-property: applies to the"
            + " Kafka Streams job",
        "bench detect --engine flink --threads 2 | --threads applies to --engine streams",
        "bench detect --state-backend heap | --state-backend applies to --engine flink",
        "flink --bootstrap 127.0.0.1:1 --parallelism 0 | --parallelism 0: must be >= 1",
        "flink --bootstrap 127.0.0.1:1 --packets-partitions 0 | --packets-partitions 0"
      })
  void anOptionThatDoesNotApplyIsOneLineNamingIt(String args, String message) {
    CliRun run = CliRun.run(args.split(" "));
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip().lines().findFirst().orElse("")).contains(message);
  }
}
