package io.hoptrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.hoptrace.cli.Main;
import io.hoptrace.flink.DetectionJobMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import picocli.CommandLine;

/**
 * The rendered manifests start hoptrace with options it has: every hoptrace container's arguments,
 * and the FlinkDeployment's job arguments (the options of {@code hoptrace flink}), parse with the
 * real command line (picocli; nothing is run).
 */
class ContainerArgsTest {

  static final List<String> VALUES = Deploy.VALUES;

  @ParameterizedTest
  @FieldSource("VALUES")
  void argumentsParseWithTheRealCommands(String valuesFile) {
    List<String> commands = new ArrayList<>();
    for (Manifest m : Deploy.manifests(valuesFile)) {
      if (m.kind().equals("FlinkDeployment")) {
        // the job jar's entry point reads these (not the hoptrace launcher)
        Map<String, Object> job =
            (Map<String, Object>) ((Map<String, Object>) m.content().get("spec")).get("job");
        assertThat(job.get("entryClass")).isEqualTo(DetectionJobMain.class.getName());
        List<String> args = (List<String>) job.get("args");
        assertThatCode(() -> DetectionJobMain.checkArguments(args.toArray(String[]::new)))
            .as("%s: %s", m.where(), args)
            .doesNotThrowAnyException();
        commands.add("flink-job");
        continue;
      }
      for (List<String> args : hoptraceArgs(m)) {
        CommandLine.ParseResult parsed = Main.commandLine().parseArgs(args.toArray(String[]::new));
        assertThat(parsed.hasSubcommand()).as("%s: %s", m.where(), args).isTrue();
        assertThat(parsed.subcommand().unmatched()).as("%s: %s", m.where(), args).isEmpty();
        commands.add(parsed.subcommand().commandSpec().name());
      }
    }
    boolean flink = valuesFile.equals("values-flink.yaml");
    assertThat(commands).containsExactlyInAnyOrder("sensor", flink ? "flink-job" : "run");
  }

  @Test
  void sensorsDiscoverTheirHopsByDefault() {
    List<String> args = sensorArgs(Deploy.manifests("values.yaml"));
    assertThat(args).contains("--auto").doesNotContain("--iface", "*/*/*");
  }

  @Test
  void withoutPodNamespacesDiscoveryLeavesThePodsOwnInterfacesOut(@TempDir Path tmp)
      throws Exception {
    Path values = tmp.resolve("no-pods.yaml");
    Files.writeString(values, "sensor:\n  podNamespaces: false\n  exclude: [docker0]\n");
    List<String> args = sensorArgs(render(values));
    assertThat(String.join(" ", args)).contains("--auto --exclude */*/* --exclude docker0");
    assertThat(Main.commandLine().parseArgs(args.toArray(String[]::new)).hasSubcommand()).isTrue();
  }

  @Test
  void namedInterfacesWhenAsked(@TempDir Path tmp) throws Exception {
    Path values = tmp.resolve("interfaces.yaml");
    Files.writeString(values, "sensor:\n  hops: interfaces\n  interfaces: [ens5, flannel.1]\n");
    List<String> args = sensorArgs(render(values));
    assertThat(String.join(" ", args)).contains("--iface ens5 --iface flannel.1");
    assertThat(args).doesNotContain("--auto");
  }

  @Test
  @SuppressWarnings("unchecked")
  void theFlinkJobWritesTheFlowStoreWhenAsked(@TempDir Path tmp) throws Exception {
    Path values = tmp.resolve("store.yaml");
    Files.writeString(
        values, "detection:\n  engine: flink\n  flink:\n    store: s3://bucket/hoptrace-store\n");
    List<String> args = null;
    for (Manifest m : render(values)) {
      if (m.kind().equals("FlinkDeployment")) {
        Map<String, Object> job =
            (Map<String, Object>) ((Map<String, Object>) m.content().get("spec")).get("job");
        args = (List<String>) job.get("args");
      }
    }
    assertThat(args).isNotNull();
    assertThat(String.join(" ", args)).contains("--store s3://bucket/hoptrace-store");
    String[] jobArgs = args.toArray(String[]::new);
    assertThatCode(() -> DetectionJobMain.checkArguments(jobArgs)).doesNotThrowAnyException();
  }

  private static List<Manifest> render(Path values) {
    return ManifestValidator.validate("helm template -f " + values, Deploy.CHART.render(values));
  }

  private static List<String> sensorArgs(List<Manifest> manifests) {
    for (Manifest m : manifests) {
      if (m.kind().equals("DaemonSet")) {
        return hoptraceArgs(m).get(0);
      }
    }
    throw new AssertionError("no sensor DaemonSet rendered");
  }

  /** The argument lists that start hoptrace in this manifest. */
  @SuppressWarnings("unchecked")
  private static List<List<String>> hoptraceArgs(Manifest m) {
    Map<String, Object> spec = (Map<String, Object>) m.content().get("spec");
    if (!m.kind().equals("DaemonSet") && !m.kind().equals("Deployment")) {
      return List.of();
    }
    Map<String, Object> pod =
        (Map<String, Object>) ((Map<String, Object>) spec.get("template")).get("spec");
    List<List<String>> out = new ArrayList<>();
    for (Map<String, Object> c : (List<Map<String, Object>>) pod.get("containers")) {
      if (((String) c.get("image")).startsWith("hoptrace/hoptrace:")) {
        out.add((List<String>) c.get("args"));
      }
    }
    return out;
  }
}
