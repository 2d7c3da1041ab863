package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * {@code sensor --auto --dry-run} on the lab's nodes lists exactly the hops of that node in the
 * lab's recorded manifest. Needs root and the lab ({@code lab.sh up}, run here when the lab is
 * down; never taken down here: the lab may be shared). The lab may be in its single-stack form
 * (compared with the {@code healthy} recording) or dual-stack (the {@code vxlan6-blocked} one,
 * which adds {@code flannel-v6.1}); when another run rebuilds the lab during the check, it is
 * repeated. Pod names: the lab's namespace {@code ht-pod-a1} is pod {@code pod-a1} with {@code
 * --pod-netns-prefix ht-}.
 */
@ResourceLock(LiveOverlayIT.LAB)
class SensorAutoDiscoveryIT {
  private static final Path RUN = Path.of("/run/hoptrace-lab");
  private static Path script;

  @BeforeAll
  static void needsRootAndTheLab() throws Exception {
    assumeTrue(LabCommand.currentEffectiveUid() == 0, "the lab needs root (not running as root)");
    assumeTrue(sh("ip", "netns", "list") == 0, "`ip netns` is not usable here");
    Optional<Path> found = LabCommand.locate(Map.of(), Path.of("").toAbsolutePath());
    assumeTrue(found.isPresent(), "deploy/lab/lab.sh not found");
    script = found.get();
  }

  @Test
  void nodeA() throws Exception {
    checkNode("a");
  }

  @Test
  void nodeB() throws Exception {
    checkNode("b");
  }

  private void checkNode(String n) throws Exception {
    String node = "node-" + n;
    for (int attempt = 1; ; attempt++) {
      String stack = labStack();
      CliRun r =
          CliRun.run(
              "sensor",
              "--auto",
              "--dry-run",
              "--node",
              node,
              "--netns",
              "ht-" + node,
              "--pod-netns-prefix",
              "ht-");
      if (!stack.equals(labStack()) || r.exitCode() != 0) {
        // the shared lab was rebuilt meanwhile: once more
        assertThat(attempt).as("lab kept changing; last run: %s", r.err()).isLessThan(4);
        continue;
      }
      Set<String> listed = new TreeSet<>();
      for (JsonNode h : r.jsonLines()) {
        String pod = h.path("pod").asText("");
        listed.add(h.path("hop").asText() + " " + h.path("role").asText());
        assertThat(h.path("netns").asText())
            .as("netns of %s", h)
            .isEqualTo(pod.isEmpty() ? "ht-" + node : "ht-" + pod);
        assertThat(h.path("hop").asText()).endsWith("/" + h.path("iface").asText());
      }
      String recording = stack.equals("dual") ? "vxlan6-blocked" : "healthy";
      assertThat(listed)
          .as("hops of %s, lab %s-stack", node, stack)
          .isEqualTo(manifest(recording, node));
      return;
    }
  }

  /** The lab's stack (single or dual), bringing the lab up first when it is down. */
  private static String labStack() throws Exception {
    if (!Files.exists(RUN.resolve("up.ok"))) {
      assertThat(sh(script.toString(), "up")).as("lab.sh up").isZero();
    }
    Path f = RUN.resolve("stack");
    return Files.exists(f) ? Files.readString(f).trim() : "single";
  }

  private static Set<String> manifest(String recording, String node) throws Exception {
    Path m = script.getParent().resolve("recordings").resolve(recording).resolve("manifest.json");
    Set<String> out = new TreeSet<>();
    for (JsonNode h : CliRun.JSON.readTree(m.toFile()).path("hops")) {
      if (h.path("node").asText().equals(node)) {
        String pod = h.hasNonNull("pod") ? h.path("pod").asText() + "/" : "";
        out.add(node + "/" + pod + h.path("iface").asText() + " " + h.path("role").asText());
      }
    }
    assertThat(out).as("hops of %s in %s", node, m).isNotEmpty();
    return out;
  }

  private static int sh(String... cmd) throws Exception {
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!p.waitFor(4, TimeUnit.MINUTES)) {
      p.destroy();
      return -1;
    }
    return p.exitValue();
  }
}
