package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Bad options of {@code hoptrace drops}: one line naming the option, exit code 2, nothing run. */
class DropsCommandTest {

  @Test
  void anUnknownNamespace() {
    CliRun r = CliRun.run("drops", "--netns", "no-such-ns-for-hoptrace", "--duration", "1");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err())
        .startsWith(
            "hoptrace drops: error: --netns: no network namespace 'no-such-ns-for-hoptrace'");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void aNegativeDuration() {
    CliRun r = CliRun.run("drops", "--duration", "-1");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err().strip())
        .isEqualTo("hoptrace drops: error: --duration must be 0 or more seconds: -1");
  }

  @Test
  void aBadVxlanPortAndFormat() {
    CliRun port = CliRun.run("drops", "--vxlan-port", "8472,70000");
    assertThat(port.exitCode()).isEqualTo(2);
    assertThat(port.err().strip())
        .isEqualTo("hoptrace drops: error: --vxlan-port must be 1..65535: 70000");
    CliRun format = CliRun.run("drops", "--format", "xml");
    assertThat(format.exitCode()).isEqualTo(2);
    assertThat(format.err()).contains("--format").contains("xml");
  }
}
