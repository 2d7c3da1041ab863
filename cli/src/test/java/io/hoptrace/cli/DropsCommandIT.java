package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hoptrace.capture.TestNetns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

  private final String id = Long.toString(ProcessHandle.current().pid() % 100000);
  private final String nsA = "htdA" + id;
  private final String nsB = "htdB" + id;
  private final String vethA = "htda" + id;
  private final String vethB = "htdb" + id;
  private final List<String> namespaces = new ArrayList<>();
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

    namespaces.add(nsA);
    namespaces.add(nsB);
    TestNetns.must("ip", "netns", "add", nsA);
    TestNetns.must("ip", "netns", "add", nsB);
    TestNetns.must("ip", "link", "add", vethA, "type", "veth", "peer", "name", vethB);
    TestNetns.must("ip", "link", "set", vethA, "netns", nsA);
    TestNetns.must("ip", "link", "set", vethB, "netns", nsB);
    setUp(nsA, vethA, "10.98.0.1", "10.98.0.2", "10.198.0.1");
    setUp(nsB, vethB, "10.98.0.2", "10.98.0.1", "10.198.0.2");
    String macB =
        CliRun.JSON
            .readTree(TestNetns.must("ip", "-n", nsB, "-j", "link", "show", "vx0"))
            .get(0)
            .get("address")
            .asText();
    // no ARP through a blocked tunnel: a static neighbour lets A send IPv4 inside VXLAN
    TestNetns.must(
        "ip",
        "-n",
        nsA,
        "neigh",
        "replace",
        "10.198.0.2",
        "lladdr",
        macB,
        "dev",
        "vx0",
        "nud",
        "permanent");
    for (String port : List.of("9999", "8472")) {
      TestNetns.must(
          "ip",
          "netns",
          "exec",
          nsB,
          "iptables",
          "-A",
          "INPUT",
          "-p",
          "udp",
          "--dport",
          port,
          "-j",
          "DROP");
    }

    // bpftrace needs seconds to attach (more on a loaded machine): send until the watch ends
    Process sender =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                nsA,
                "bash",
                "-c",
                "for i in $(seq 1 1800); do echo hi > /dev/udp/10.98.0.2/9999;"
                    + " echo hi > /dev/udp/10.198.0.2/7777; sleep 0.1; done")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      watch =
          CompletableFuture.supplyAsync(
                  () -> CliRun.run("drops", "--netns", nsB, "--duration", "10", "--format", "json"))
              .get(170, TimeUnit.SECONDS);
    } finally {
      sender.destroy();
      sender.waitFor(5, TimeUnit.SECONDS);
    }
    lines = watch.jsonLines();
  }

  private static void setUp(String ns, String veth, String addr, String peer, String overlay) {
    TestNetns.must("ip", "-n", ns, "link", "set", "lo", "up");
    TestNetns.must("ip", "-n", ns, "addr", "add", addr + "/24", "dev", veth);
    TestNetns.must("ip", "-n", ns, "link", "set", veth, "up");
    TestNetns.must(
        "ip", "-n", ns, "link", "add", "vx0", "type", "vxlan", "id", "42", "remote", peer, "local",
        addr, "dstport", "8472", "dev", veth);
    TestNetns.must("ip", "-n", ns, "addr", "add", overlay + "/24", "dev", "vx0");
    TestNetns.must("ip", "-n", ns, "link", "set", "vx0", "up");
  }

  @AfterAll
  void cleanUp() {
    TestNetns.cleanup(namespaces, List.of());
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
