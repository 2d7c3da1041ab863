package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * --partitions, --threads and --packets-partitions are checked before anything starts: one error
 * line naming the option (the manifest given does not exist, so a later check would name it).
 */
class PipelineOptionsTest {

  @ParameterizedTest
  @CsvSource({
    "analyze --partitions 0 /nonexistent/manifest.json, --partitions 0",
    "analyze --threads 0 /nonexistent/manifest.json, --threads 0",
    "demo --threads -1 --recordings /nonexistent, --threads -1",
    "demo --partitions 0 --recordings /nonexistent, --partitions 0",
    "bench detect --partitions 0 --template /nonexistent/manifest.json, --partitions 0",
    "run --bootstrap 127.0.0.1:1 --packets-partitions 0, --packets-partitions 0"
  })
  void anInvalidValueIsOneLineNamingTheOption(String args, String option) {
    CliRun run = CliRun.run(args.split(" "));
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).doesNotContain("\n").contains(option).contains("must be >= 1");
  }
}
