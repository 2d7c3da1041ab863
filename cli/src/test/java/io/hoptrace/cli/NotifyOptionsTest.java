package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * --alertmanager, --syslog and --syslog-format are checked before anything starts: one error line
 * naming the option (the manifest / recordings given do not exist, so a later check would name them
 * instead).
 */
class NotifyOptionsTest {

  @ParameterizedTest
  @CsvSource({
    "analyze --alertmanager ftp://am /nonexistent/manifest.json, --alertmanager",
    "analyze --syslog tcp://siem /nonexistent/manifest.json, --syslog",
    "analyze --syslog tcp://siem:514 --syslog-format xml /nonexistent/manifest.json, --syslog-format",
    "demo --syslog udp://siem:0 --recordings /nonexistent, --syslog",
    "demo --alertmanager not-a-url --recordings /nonexistent, --alertmanager",
    "flink --bootstrap 127.0.0.1:1 --alertmanager ftp://am, --alertmanager",
    "flink --bootstrap 127.0.0.1:1 --syslog tcp://siem, --syslog"
  })
  void anInvalidValueIsOneLineNamingTheOption(String args, String option) {
    CliRun run = CliRun.run(args.split(" "));
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).doesNotContain("\n").contains(option + ":");
  }
}
