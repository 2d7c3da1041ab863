package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --kafka-config FILE} is checked before anything is touched, on every command that talks to
 * Kafka: a bad file is one line naming the file (and key) and exit code 2, before any connection
 * (the bootstrap address here has no Kafka: a connection attempt would say so instead).
 */
class KafkaConfigOptionTest {
  @TempDir Path tmp;

  private static final String NOWHERE = "127.0.0.1:1";

  private List<String[]> commands() {
    String manifest =
        CliRun.repoRoot().resolve("deploy/lab/recordings/dual-ip/manifest.json").toString();
    String pcap =
        CliRun.repoRoot().resolve("deploy/lab/recordings/dual-ip/node-a.ens33.pcap").toString();
    return List.of(
        new String[] {"sensor", "--pcap", pcap, "--node", "node-a", "--bootstrap", NOWHERE},
        new String[] {"run", "--bootstrap", NOWHERE},
        new String[] {"flink", "--bootstrap", NOWHERE},
        new String[] {"analyze", "--bootstrap", NOWHERE, manifest},
        new String[] {"alerts", "--bootstrap", NOWHERE},
        new String[] {"flows", "--bootstrap", NOWHERE},
        new String[] {"serve", "--bootstrap", NOWHERE, "--port", "0"});
  }

  private static CliRun run(String[] command, String... more) {
    List<String> args = new ArrayList<>(List.of(command));
    args.addAll(List.of(more));
    return CliRun.run(args.toArray(String[]::new));
  }

  @Test
  void everyKafkaCommandRefusesAMissingFileBeforeConnecting() {
    Path missing = tmp.resolve("missing.properties");
    for (String[] command : commands()) {
      CliRun r = run(command, "--kafka-config", missing.toString());
      assertThat(r.exitCode()).as(command[0] + ": " + r.err()).isEqualTo(2);
      assertThat(r.err().strip())
          .as(command[0])
          .isEqualTo(
              "hoptrace " + command[0] + ": error: --kafka-config " + missing + ": no such file");
    }
  }

  @Test
  void anUnknownKeyIsNamed() throws Exception {
    Path f = tmp.resolve("client.properties");
    Files.writeString(f, "security.protocol=SASL_SSL\nsasl.mechanisms=PLAIN\n");
    CliRun r = run(commands().get(0), "--kafka-config", f.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err().strip())
        .isEqualTo(
            "hoptrace sensor: error: --kafka-config "
                + f
                + ": unknown Kafka client setting sasl.mechanisms");
  }

  @Test
  void theFileGoesWithBootstrap() throws Exception {
    Path f = tmp.resolve("client.properties");
    Files.writeString(f, "security.protocol=SSL\n");
    String manifest =
        CliRun.repoRoot().resolve("deploy/lab/recordings/dual-ip/manifest.json").toString();
    CliRun r = CliRun.run("analyze", "--kafka-config", f.toString(), manifest);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--kafka-config " + f + ": goes with --bootstrap");
  }
}
