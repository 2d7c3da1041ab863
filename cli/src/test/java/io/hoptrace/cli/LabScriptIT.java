package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The lab script for real: namespaces, veths, bridges, VXLAN. Needs root and {@code ip netns};
 * skipped with the reason otherwise. Each test leaves no {@code ht-*} namespace behind. Never runs
 * alongside {@link LiveOverlayIT} (same lab): both hold the {@value LiveOverlayIT#LAB} lock.
 */
@ResourceLock(LiveOverlayIT.LAB)
class LabScriptIT {

  private static final List<String> TOOLS =
      List.of("ip", "bridge", "iptables", "tcpdump", "ping", "socat", "dig", "ethtool", "jq", "ss");

  private static Path script;

  @TempDir Path tmp;

  @BeforeAll
  static void needsRootAndNamespaces() throws Exception {
    assumeTrue(LabCommand.currentEffectiveUid() == 0, "the lab needs root (not running as root)");
    assumeTrue(sh("ip netns list") == 0, "`ip netns` is not usable here");
    List<String> missing = new ArrayList<>();
    for (String t : TOOLS) {
      if (sh("command -v " + t) != 0) {
        missing.add(t);
      }
    }
    assumeTrue(missing.isEmpty(), "tools missing for the lab: " + missing);
    Optional<Path> found = LabCommand.locate(Map.of(), Path.of("").toAbsolutePath());
    assumeTrue(
        found.isPresent(), "deploy/lab/lab.sh not found above " + Path.of("").toAbsolutePath());
    script = found.get();
  }

  @AfterEach
  void alwaysDown() throws Exception {
    lab("down");
  }

  @Test
  void upConnectsPodsAcrossVxlanAndDownLeavesNoNamespace() throws Exception {
    StringWriter out = new StringWriter();
    int up =
        Main.commandLine()
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(out, true))
            .execute("lab", "up");
    assertThat(up).as("lab up:\n%s", out).isZero();
    assertThat(out.toString()).contains("isolation verified");
    assertThat(labNamespaces())
        .contains("ht-underlay", "ht-node-a", "ht-node-b", "ht-pod-a1", "ht-pod-b1");

    assertThat(sh("ip netns exec ht-pod-a1 ping -n -q -c 3 -i 0.2 -W 1 10.244.1.2"))
        .as("pod-a1 -> pod-b1")
        .isZero();
    assertThat(sh("ip netns exec ht-pod-b1 ping -n -q -c 3 -i 0.2 -W 1 10.244.0.2"))
        .as("pod-b1 -> pod-a1")
        .isZero();
    assertThat(
            sh(
                "ip netns exec ht-node-b ip -s -j link show flannel.1 | grep -q '\"packets\":[1-9]'"))
        .as("the pings crossed node-b's flannel.1")
        .isZero();
    assertThat(sh("ip netns exec ht-node-a ip route show default | grep -q ."))
        .as("node-a has no default route")
        .isNotZero();

    assertThat(lab("down")).isZero();
    assertThat(labNamespaces()).isEmpty();
  }

  @Test
  void downCleansUpAfterAKilledUp() throws Exception {
    Process up = start("up");
    awaitNamespace("ht-node-a", up);
    up.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

    assertThat(lab("down")).isZero();
    assertThat(labNamespaces()).isEmpty();
  }

  @Test
  void downCleansUpAfterAKilledRecordWithLiveCaptures() throws Exception {
    assertThat(lab("up")).isZero();
    Path log = tmp.resolve("record.log");
    Process record =
        new ProcessBuilder(
                "bash", script.toString(), "record", "healthy", tmp.resolve("rec").toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.readString(log, StandardCharsets.UTF_8).contains("capturing on")
        && record.isAlive()
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(Files.readString(log)).contains("capturing on");
    record.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    List<String> orphans = lines("ip netns pids ht-node-a");
    assertThat(orphans).as("captures left running in ht-node-a by the killed run").isNotEmpty();

    assertThat(lab("down")).isZero();
    assertThat(labNamespaces()).isEmpty();
    for (String pid : orphans) {
      assertThat(aliveAfterGrace(pid)).as("lab process %s still running after down", pid).isFalse();
    }
  }

  private static Process start(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  private static int lab(String... args) throws Exception {
    Process p = start(args);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("lab.sh " + String.join(" ", args) + " did not finish in 120 s");
    }
    return p.exitValue();
  }

  /** True if the process still runs after a short grace (a zombie awaiting its reaper is dead). */
  private static boolean aliveAfterGrace(String pid) throws InterruptedException {
    Path stat = Path.of("/proc", pid, "stat");
    for (int i = 0; i < 50; i++) {
      try {
        String s = Files.readString(stat);
        if (s.substring(s.lastIndexOf(')') + 2).startsWith("Z")) {
          return false;
        }
      } catch (IOException gone) {
        return false;
      }
      Thread.sleep(100);
    }
    return true;
  }

  private static void awaitNamespace(String name, Process p) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.exists(Path.of("/run/netns", name)) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(Files.exists(Path.of("/run/netns", name))).as("%s created by lab up", name).isTrue();
  }

  private static List<String> labNamespaces() throws IOException, InterruptedException {
    List<String> names = new ArrayList<>();
    for (String line : lines("ip netns list")) {
      String name = line.split("\\s+")[0];
      if (name.startsWith("ht-")) {
        names.add(name);
      }
    }
    return names;
  }

  private static List<String> lines(String command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    List<String> lines = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank()) {
        lines.add(line.trim());
      }
    }
    return lines;
  }

  private static int sh(String command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("bash", "-c", command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }
}
