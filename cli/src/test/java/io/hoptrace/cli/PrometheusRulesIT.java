package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/prometheus/hoptrace-rules.yml} passes {@code promtool check rules} and its unit
 * tests ({@code promtool test rules hoptrace-rules.test.yml}: every alert fires, and only, when its
 * input series say so). Needs Debian's prometheus package ({@code .ci/run} installs it).
 */
class PrometheusRulesIT {
  private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
  private static final Path DIR = CliRun.repoRoot().resolve("deploy/prometheus");

  @Test
  void rulesAreValidAndTheirUnitTestsPass() throws Exception {
    assumeTrue(
        Files.isExecutable(PROMTOOL),
        "needs promtool (Debian package prometheus; .ci/run installs it)");
    assertThat(promtool("check", "rules", "hoptrace-rules.yml")).contains("SUCCESS");
    assertThat(promtool("test", "rules", "hoptrace-rules.test.yml")).contains("SUCCESS");
  }

  private static String promtool(String... args) throws Exception {
    String[] cmd = new String[args.length + 1];
    cmd[0] = PROMTOOL.toString();
    System.arraycopy(args, 0, cmd, 1, args.length);
    Process p = new ProcessBuilder(cmd).directory(DIR.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("promtool %s: %s", String.join(" ", args), out).isZero();
    return out;
  }
}
