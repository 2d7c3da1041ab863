package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hoptrace.capture.TestNetns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code hoptrace drops} on the real kernel (root, bpftrace): namespace B drops UDP 9999 and the
 * VXLAN port 8472 with iptables; namespace A sends plain UDP to 9999 over a veth pair and UDP to
 * 7777 over a VXLAN device (VNI 42, port 8472) whose underlay is that veth pair. One watch of B for
 * 10 s must report both, with B's device and namespace, the inner and the outer 5-tuple.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DropsCommandIT {
  private static final Path TRACEFS = Path.of("/sys/kernel/tracing");

  private final IptablesDropPair pair = new IptablesDropPair("htd", "10.98", "10.198");
  private final String nsB = pair.nsB;
  private final String vethB = pair.vethB;
  private CliRun watch;
  private List<JsonNode> lines;

  @BeforeAll
  void watchWhileSending() throws Exception {
    String netns = TestNetns.unavailableReason();
    assumeTrue(netns == null, "drops IT skipped: " + netns);
    assumeTrue(
        TestNetns.run("bpftrace", "--version").exit() == 0,
        "drops IT skipped: bpftrace not installed (apt-get install bpftrace)");
    if (!Files.exists(TRACEFS.resolve("events"))) {
      TestNetns.run("mount", "-t", "tracefs", "nodev", TRACEFS.toString());
    }
    assumeTrue(
        Files.exists(TRACEFS.resolve("events/skb/kfree_skb/format")),
        "drops IT skipped: no skb:kfree_skb tracepoint under " + TRACEFS);

    pair.start();
    // bpftrace needs seconds to attach (more on a loaded machine): send until the watch ends
    pair.send(180);
    try {
      watch =
          CompletableFuture.supplyAsync(
                  () -> CliRun.run("drops", "--netns", nsB, "--duration", "10", "--format", "json"))
              .get(170, TimeUnit.SECONDS);
    } finally {
      pair.stopSending();
    }
    lines = watch.jsonLines();
  }

  @AfterAll
  void cleanUp() throws InterruptedException {
    pair.close();
  }

  private long inodeB() throws Exception {
    return ((Number) Files.getAttribute(Path.of("/var/run/netns", nsB), "unix:ino")).longValue();
  }

  @Test
  void theWatchRanAndSaidSo() {
    assertThat(watch.exitCode()).as("stderr: %s", watch.err()).isZero();
    assertThat(watch.err()).contains("watching skb:kfree_skb in netns " + nsB);
    assertThat(lines).isNotEmpty();
  }

  @Test
  void iptablesDropOfUdp9999IsNetfilterDropOnBsInterface() throws Exception {
    List<JsonNode> plain =
        lines.stream().filter(l -> l.path("dport").asInt() == 9999 && !l.has("encap")).toList();
    assertThat(plain).as("stdout: %s", watch.out()).isNotEmpty();
    for (JsonNode l : plain) {
      assertThat(l.get("reason").asText()).isEqualTo("NETFILTER_DROP");
      assertThat(l.get("iface").asText()).isEqualTo(vethB);
      assertThat(l.get("netns").asLong()).isEqualTo(inodeB());
      assertThat(l.get("netnsName").asText()).isEqualTo(nsB);
      assertThat(l.get("proto").asInt()).isEqualTo(17);
      assertThat(l.get("src").asText()).isEqualTo("10.98.0.1");
      assertThat(l.get("dst").asText()).isEqualTo("10.98.0.2");
      assertThat(l.get("count").asLong()).isPositive();
    }
    // ~10 packets a second for 10 s (the first and last second may be cut)
    long total = plain.stream().mapToLong(l -> l.get("count").asLong()).sum();
    assertThat(total).isBetween(20L, 200L);
  }

  @Test
  void aBlockedVxlanPacketCarriesTheInnerAndTheOuterTuple() throws Exception {
    List<JsonNode> vxlan =
        lines.stream().filter(l -> "vxlan".equals(l.path("encap").asText())).toList();
    assertThat(vxlan).as("stdout: %s", watch.out()).isNotEmpty();
    for (JsonNode l : vxlan) {
      assertThat(l.get("reason").asText()).isEqualTo("NETFILTER_DROP");
      assertThat(l.get("iface").asText()).isEqualTo(vethB);
      assertThat(l.get("netns").asLong()).isEqualTo(inodeB());
      JsonNode outer = l.get("outer");
      assertThat(outer.get("proto").asInt()).isEqualTo(17);
      assertThat(outer.get("src").asText()).isEqualTo("10.98.0.1");
      assertThat(outer.get("dst").asText()).isEqualTo("10.98.0.2");
      assertThat(outer.get("dport").asInt()).isEqualTo(8472);
    }
    // the inner tuple when the tunnel carried IPv4 (not IPv6 neighbour discovery of vx0)
    List<JsonNode> inner = vxlan.stream().filter(l -> l.has("src")).toList();
    assertThat(inner).as("stdout: %s", watch.out()).isNotEmpty();
    for (JsonNode l : inner) {
      assertThat(l.get("proto").asInt()).isEqualTo(17);
      assertThat(l.get("src").asText()).isEqualTo("10.198.0.1");
      assertThat(l.get("dst").asText()).isEqualTo("10.198.0.2");
      assertThat(l.get("dport").asInt()).isEqualTo(7777);
    }
  }

  @Test
  void noDropOfAnotherNamespaceIsReported() throws Exception {
    long b = inodeB();
    assertThat(lines).allSatisfy(l -> assertThat(l.get("netns").asLong()).isEqualTo(b));
  }

  @Test
  void missingBpftraceIsOneLineAndExitCode2() {
    CliRun r = CliRun.run("drops", "--bpftrace", "/nonexistent/bpftrace", "--duration", "1");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err().strip())
        .isEqualTo(
            "hoptrace drops: error: bpftrace not found (/nonexistent/bpftrace): install it, e.g."
                + " apt-get install bpftrace");
  }
}
