package io.hoptrace.cli;

import io.hoptrace.capture.TestNetns;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Two network namespaces A and B over a veth pair ({@code NET.0.1}, {@code NET.0.2}), each with a
 * VXLAN device {@code vx0} (VNI 42, UDP 8472) on it ({@code OVERLAY.0.1}, {@code OVERLAY.0.2}); B's
 * iptables drops UDP 9999 and 8472. {@link #send} makes A send plain UDP to B's 9999 and UDP to B's
 * overlay address, port 7777, inside VXLAN, ten times a second: B's kernel drops both with {@code
 * NETFILTER_DROP} on its veth. For the drop reason ITs (root).
 */
final class IptablesDropPair implements AutoCloseable {
  final String nsA;
  final String nsB;
  final String vethA;
  final String vethB;
  final String net;
  final String overlay;
  private final List<String> namespaces = new ArrayList<>();
  private Process sender;

  /**
   * @param name a short prefix (namespace and device names add A/B or a/b and the pid)
   * @param net the underlay /24 (e.g. "10.98")
   * @param overlay the VXLAN /24 (e.g. "10.198")
   */
  IptablesDropPair(String name, String net, String overlay) {
    String id = Long.toString(ProcessHandle.current().pid() % 100000);
    this.nsA = name + "A" + id;
    this.nsB = name + "B" + id;
    this.vethA = name.toLowerCase() + "a" + id;
    this.vethB = name.toLowerCase() + "b" + id;
    this.net = net;
    this.overlay = overlay;
  }

  /** Builds both namespaces, the devices and B's iptables rules. */
  IptablesDropPair start() throws Exception {
    namespaces.add(nsA);
    namespaces.add(nsB);
    TestNetns.must("ip", "netns", "add", nsA);
    TestNetns.must("ip", "netns", "add", nsB);
    TestNetns.must("ip", "link", "add", vethA, "type", "veth", "peer", "name", vethB);
    TestNetns.must("ip", "link", "set", vethA, "netns", nsA);
    TestNetns.must("ip", "link", "set", vethB, "netns", nsB);
    link(nsA, vethA, net + ".0.1", net + ".0.2", overlay + ".0.1");
    link(nsB, vethB, net + ".0.2", net + ".0.1", overlay + ".0.2");
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
        overlay + ".0.2",
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
    return this;
  }

  private static void link(String ns, String veth, String addr, String peer, String overlay) {
    TestNetns.must("ip", "-n", ns, "link", "set", "lo", "up");
    TestNetns.must("ip", "-n", ns, "addr", "add", addr + "/24", "dev", veth);
    TestNetns.must("ip", "-n", ns, "link", "set", veth, "up");
    TestNetns.must(
        "ip", "-n", ns, "link", "add", "vx0", "type", "vxlan", "id", "42", "remote", peer, "local",
        addr, "dstport", "8472", "dev", veth);
    TestNetns.must("ip", "-n", ns, "addr", "add", overlay + "/24", "dev", "vx0");
    TestNetns.must("ip", "-n", ns, "link", "set", "vx0", "up");
  }

  /** A starts sending (for at most {@code seconds}); {@link #stopSending} or close stops it. */
  void send(int seconds) throws IOException {
    sender =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                nsA,
                "bash",
                "-c",
                "for i in $(seq 1 "
                    + seconds * 10
                    + "); do echo hi > /dev/udp/"
                    + net
                    + ".0.2/9999; echo hi > /dev/udp/"
                    + overlay
                    + ".0.2/7777; sleep 0.1; done")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
  }

  void stopSending() throws InterruptedException {
    if (sender != null) {
      sender.destroy();
      sender.waitFor(5, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() throws InterruptedException {
    stopSending();
    TestNetns.cleanup(namespaces, List.of());
  }
}
