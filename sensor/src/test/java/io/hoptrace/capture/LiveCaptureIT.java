package io.hoptrace.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hoptrace.schema.InterfaceRole;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Live capture on a veth pair between the host and a namespace this test creates (10.213.x.1/30 on
 * the host, .2 in the namespace); traffic is a bounded ping to the namespace address only.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LiveCaptureIT {

  private static final List<String> NAMESPACES = new ArrayList<>();
  private static final List<String> LINKS = new ArrayList<>();
  private static String ns;
  private static String hostIf;
  private static String nsIf;
  private static String nsAddr;

  @BeforeAll
  static void createNamespace() {
    String why = TestNetns.unavailableReason();
    assumeTrue(why == null, why);
    long id = ProcessHandle.current().pid() % 200 + 20;
    ns = "htcap" + id;
    hostIf = "htc" + id + "h";
    nsIf = "htc" + id + "n";
    nsAddr = "10.213." + id + ".2";
    NAMESPACES.add(ns);
    LINKS.add(hostIf);
    TestNetns.must("ip", "netns", "add", ns);
    TestNetns.must("ip", "link", "add", hostIf, "type", "veth", "peer", "name", nsIf);
    TestNetns.must("ip", "link", "set", nsIf, "netns", ns);
    TestNetns.must("ip", "addr", "add", "10.213." + id + ".1/30", "dev", hostIf);
    TestNetns.must("ip", "link", "set", hostIf, "up");
    TestNetns.must("ip", "-n", ns, "addr", "add", nsAddr + "/30", "dev", nsIf);
    TestNetns.must("ip", "-n", ns, "link", "set", nsIf, "up");
    TestNetns.must("ip", "-n", ns, "link", "set", "lo", "up");
  }

  @AfterAll
  static void removeNamespace() {
    TestNetns.cleanup(NAMESPACES, LINKS);
  }

  private static void ping(int count) {
    TestNetns.run("ping", "-c", Integer.toString(count), "-W", "1", "-i", "0.2", nsAddr);
  }

  /** ICMP type of an Ethernet/IPv4 packet, or -1. */
  private static int icmpType(Recorder.Packet p) {
    byte[] b = p.bytes();
    if (b.length < 35 || b[12] != 0x08 || b[13] != 0x00 || b[23] != 1) {
      return -1;
    }
    return b[14 + (b[14] & 0x0F) * 4] & 0xFF;
  }

  private static void awaitPackets(Recorder r, int n) throws InterruptedException {
    for (int i = 0; i < 100 && r.packets.size() < n; i++) {
      Thread.sleep(50);
    }
  }

  @Test
  void hostVethCaptureSeesTheEchoesWithNanosecondTimestamps() throws Exception {
    assertThat(PcapNext.available())
        .as("packets are read with pcap_next_ex (PcapNext), not pcap4j's loop")
        .isTrue();
    HopContext hop = new HopContext("node1", null, hostIf, InterfaceRole.VETH);
    Recorder r = new Recorder();
    long before = System.currentTimeMillis() * 1_000_000L;
    LiveCapture c =
        LiveCapture.builder(LiveCaptureConfig.defaults().withFilter("icmp"))
            .iface(hop)
            .start(h -> r);
    try {
      ping(5);
      awaitPackets(r, 10);
    } finally {
      c.close();
    }
    long after = System.currentTimeMillis() * 1_000_000L + 1_000_000L;
    List<Recorder.Packet> got;
    synchronized (r) {
      got = List.copyOf(r.packets);
    }
    assertThat(got.stream().filter(p -> icmpType(p) == 8)).hasSize(5);
    assertThat(got.stream().filter(p -> icmpType(p) == 0)).hasSize(5);
    assertThat(got)
        .allSatisfy(
            p -> {
              assertThat(p.linkType()).isEqualTo(LinkType.ETHERNET);
              assertThat(p.hop()).isEqualTo(hop);
              assertThat(p.tsNanos()).isBetween(before, after);
              assertThat(p.bytes().length).isLessThanOrEqualTo(LiveCaptureConfig.DEFAULT_SNAPLEN);
            });
    // ns precision: libpcap on Linux gives it; at least one of ten stamps is not a whole µs
    assertThat(got.stream().anyMatch(p -> p.tsNanos() % 1000 != 0)).isTrue();
    LiveStats s = c.stats().get(0);
    assertThat(s.delivered()).isEqualTo(got.size());
    assertThat(s.received()).isGreaterThanOrEqualTo(got.size());
    assertThat(s.dropped()).isZero();
    assertThat(s.running()).isFalse();
    assertThat(s.error()).isNull();
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void closingAnIdleCaptureReturns() throws Exception {
    HopContext hop = new HopContext("node1", null, hostIf, InterfaceRole.VETH);
    LiveCapture c =
        LiveCapture.builder(LiveCaptureConfig.defaults().withFilter("udp port 9"))
            .iface(hop)
            .netnsIface(
                NetnsTarget.named(ns), new HopContext("node1", "pod-a", nsIf, InterfaceRole.POD))
            .start(h -> new Recorder());
    Thread.sleep(300);
    assertThat(c.stats()).allMatch(LiveStats::running);
    c.close();
    assertThat(c.stats()).noneMatch(LiveStats::running);
    assertThat(c.stats()).allMatch(s -> s.delivered() == 0);
  }

  @Test
  void podInterfaceInItsNamespaceIsCapturedInThisProcess() throws Exception {
    java.nio.file.Path self = java.nio.file.Path.of("/proc/thread-self/ns/net");
    Object nsBefore = java.nio.file.Files.readAttributes(self, "unix:ino").get("ino");
    HopContext pod = new HopContext("node1", "pod-a", nsIf, InterfaceRole.POD);
    HopContext host = new HopContext("node1", null, hostIf, InterfaceRole.VETH);
    Recorder podRec = new Recorder();
    Recorder hostRec = new Recorder();
    LiveCapture c =
        LiveCapture.builder(LiveCaptureConfig.defaults().withFilter("icmp"))
            .iface(host)
            .netnsIface(NetnsTarget.named(ns), pod)
            .start(h -> h.equals(pod) ? podRec : hostRec);
    try {
      // no tcpdump (or any other) child per interface, and this thread stayed where it was
      assertThat(ProcessHandle.current().children()).isEmpty();
      assertThat(java.nio.file.Files.readAttributes(self, "unix:ino").get("ino"))
          .isEqualTo(nsBefore);
      ping(5);
      awaitPackets(podRec, 10);
      awaitPackets(hostRec, 10);
      // libpcap's own counters, live (the tcpdump child only gave them at its exit)
      assertThat(c.stats().get(1).received()).isGreaterThanOrEqualTo(10);
      assertThat(c.stats().get(1).dropped()).isZero();
    } finally {
      c.close();
    }
    assertThat(podRec.packets.stream().filter(p -> icmpType(p) == 8)).hasSize(5);
    assertThat(podRec.packets.stream().filter(p -> icmpType(p) == 0)).hasSize(5);
    assertThat(podRec.packets)
        .allSatisfy(
            p -> {
              assertThat(p.hop()).isEqualTo(pod);
              assertThat(p.linkType()).isEqualTo(LinkType.ETHERNET);
            });
    assertThat(hostRec.packets).hasSize(10);
    // the same echo request seen on both ends of the veth, within a second
    long dt = Math.abs(podRec.packets.get(0).tsNanos() - hostRec.packets.get(0).tsNanos());
    assertThat(dt).isLessThan(1_000_000_000L);
    LiveStats podStats = c.stats().get(1);
    assertThat(podStats.delivered()).isEqualTo(10);
    assertThat(podStats.error()).isNull();
  }

  @Test
  void unknownInterfaceAndBadFilterAreClearErrors() {
    HopContext nowhere = new HopContext("node1", null, "htnosuch0", InterfaceRole.UPLINK);
    assertThatThrownBy(
            () ->
                LiveCapture.builder(LiveCaptureConfig.defaults())
                    .iface(nowhere)
                    .start(h -> new Recorder()))
        .isInstanceOf(LiveCaptureException.class)
        .hasMessageContaining("no such capture interface: htnosuch0");
    HopContext hop = new HopContext("node1", null, hostIf, InterfaceRole.VETH);
    assertThatThrownBy(
            () ->
                LiveCapture.builder(LiveCaptureConfig.defaults().withFilter("tcp port banana"))
                    .iface(hop)
                    .start(h -> new Recorder()))
        .isInstanceOf(LiveCaptureException.class)
        .hasMessageContaining("bad capture filter");
    assertThatThrownBy(
            () ->
                LiveCapture.builder(LiveCaptureConfig.defaults())
                    .netnsIface(NetnsTarget.named("htnosuchns"), hop)
                    .start(h -> new Recorder()))
        .isInstanceOf(LiveCaptureException.class)
        .hasMessageContaining("htnosuchns");
  }
}
