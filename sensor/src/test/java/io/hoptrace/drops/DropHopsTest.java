package io.hoptrace.drops;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.capture.HopContext;
import io.hoptrace.capture.InterfaceRoles;
import io.hoptrace.capture.NetnsTarget;
import io.hoptrace.discovery.DiscoveredHop;
import io.hoptrace.schema.InterfaceRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DropHopsTest {

  static final long NODE_NS = 4026531840L;

  @TempDir Path dir;

  final AtomicLong clock = new AtomicLong();
  final List<DiscoveredHop> hops = new ArrayList<>();
  Path podNs;
  long podIno;
  DropHops dropHops;

  @BeforeEach
  void setUp() throws IOException {
    // a namespace file is any file: its inode names the namespace
    podNs = Files.createFile(dir.resolve("pod-a-ns"));
    podIno = ((Number) Files.getAttribute(podNs, "unix:ino")).longValue();
    hops.add(
        new DiscoveredHop(
            new HopContext("node-b", null, "ens33", InterfaceRole.UPLINK), null, null));
    hops.add(
        new DiscoveredHop(
            new HopContext("node-b", null, "flannel.1", InterfaceRole.VTEP), null, null));
    dropHops =
        new DropHops(
            "node-b",
            NODE_NS,
            InterfaceRoles.defaults(),
            () -> List.copyOf(hops),
            clock::get,
            2_000_000_000L);
  }

  @Test
  void aCapturedDeviceIsItsHop() {
    assertThat(dropHops.hopOf(NODE_NS, "flannel.1"))
        .isEqualTo(new HopContext("node-b", null, "flannel.1", InterfaceRole.VTEP));
  }

  @Test
  void anotherDeviceOfTheNodesNamespaceIsTheNodesHopOnIt() {
    HopContext h = dropHops.hopOf(NODE_NS, "eth7");
    assertThat(h.id()).isEqualTo("node-b/eth7");
    assertThat(h.role()).isEqualTo(InterfaceRoles.defaults().roleOf("eth7"));
  }

  @Test
  void aPodsNamespaceGivesThePodsHopAndForeignNamespacesNone() {
    hops.add(
        new DiscoveredHop(
            new HopContext("node-b", "pod-b1", "eth0", InterfaceRole.POD),
            NetnsTarget.path(podNs.toString()),
            "10.244.1.7"));
    assertThat(dropHops.hopOf(podIno, "eth0").id()).isEqualTo("node-b/pod-b1/eth0");
    assertThat(dropHops.hopOf(podIno, "lo").id()).isEqualTo("node-b/pod-b1/lo");
    assertThat(dropHops.hopOf(podIno + 1_000_000, "eth0")).isNull();
    assertThat(dropHops.hopOf(NODE_NS, "")).isNull();
    assertThat(dropHops.hopOf(0, "eth0")).isNull();
  }

  @Test
  void aPodThatComesLaterIsFoundOnceTheHopsAreLookedUpAgain() {
    assertThat(dropHops.hopOf(podIno, "eth0")).isNull();
    hops.add(
        new DiscoveredHop(
            new HopContext("node-b", "pod-b2", "eth0", InterfaceRole.POD),
            NetnsTarget.path(podNs.toString()),
            null));
    // within the refresh period a miss stays a miss (no lookup per drop)
    clock.addAndGet(1_000_000_000L);
    assertThat(dropHops.hopOf(podIno, "eth0")).isNull();
    clock.addAndGet(1_000_000_000L);
    assertThat(dropHops.hopOf(podIno, "eth0").id()).isEqualTo("node-b/pod-b2/eth0");
  }
}
