package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code run} and {@code flink} ask for incidents' packets unless told not to. */
class IncidentPcapOptionsTest {

  @Test
  void onByDefaultOffWithTheNegatedOption() {
    RunCommand run = new RunCommand();
    new CommandLine(run).parseArgs("--bootstrap", "k:9092");
    assertThat(run.incidentPcaps.enabled).isTrue();

    RunCommand off = new RunCommand();
    new CommandLine(off).parseArgs("--bootstrap", "k:9092", "--no-incident-pcaps");
    assertThat(off.incidentPcaps.enabled).isFalse();
    assertThat(off.incidentPcaps.start(null, null, null, "run", null)).isNull();

    FlinkCommand flink = new FlinkCommand();
    new CommandLine(flink).parseArgs("--bootstrap", "k:9092", "--no-incident-pcaps");
    assertThat(flink.incidentPcaps.enabled).isFalse();
  }
}
