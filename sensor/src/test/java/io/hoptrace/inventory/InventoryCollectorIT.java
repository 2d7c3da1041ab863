package io.hoptrace.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hoptrace.capture.InterfaceRoles;
import io.hoptrace.schema.FdbEntry;
import io.hoptrace.schema.InterfaceRole;
import io.hoptrace.schema.NeighborEntry;
import io.hoptrace.schema.NodeInventory;
import io.hoptrace.schema.RouteInfo;
import io.hoptrace.schema.VtepInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the real collector against namespaces with a flannel-like VXLAN device this test builds. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InventoryCollectorIT {

  private static final List<String> NAMESPACES = new ArrayList<>();
  private static String node;
  private static String pod;
  private static String underlay;

  private static int sh(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      if (p.exitValue() != 0) {
        System.err.println(String.join(" ", cmd) + ": " + out);
      }
      return p.exitValue();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static void must(String... cmd) {
    if (sh(cmd) != 0) {
      throw new IllegalStateException("failed: " + String.join(" ", cmd));
    }
  }

  @BeforeAll
  static void buildNode() {
    assumeTrue(
        "root".equals(System.getProperty("user.name")), "needs root to create network namespaces");
    long id = ProcessHandle.current().pid() % 200 + 20;
    node = "htinvn" + id;
    pod = "htinvp" + id;
    underlay = "htinvu" + id;
    String probe = "htinvprobe" + id;
    assumeTrue(sh("ip", "netns", "add", probe) == 0, "ip netns is not available");
    sh("ip", "netns", "del", probe);
    for (String ns : List.of(node, pod, underlay)) {
      NAMESPACES.add(ns);
      must("ip", "netns", "add", ns);
    }
    must(
        "ip", "-n", node, "link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns",
        underlay);
    must("ip", "-n", node, "addr", "add", "192.168.77.10/24", "dev", "eth0");
    must("ip", "-n", node, "link", "set", "eth0", "up");
    must(
        "ip",
        "-n",
        node,
        "link",
        "add",
        "flannel.1",
        "type",
        "vxlan",
        "id",
        "1",
        "local",
        "192.168.77.10",
        "dev",
        "eth0",
        "dstport",
        "8472",
        "nolearning");
    must("ip", "-n", node, "link", "set", "flannel.1", "mtu", "1450", "up");
    must("ip", "-n", node, "addr", "add", "10.250.1.0/32", "dev", "flannel.1");
    must("ip", "-n", node, "link", "add", "cni0", "type", "bridge");
    must("ip", "-n", node, "addr", "add", "10.250.1.1/24", "dev", "cni0");
    must("ip", "-n", node, "link", "set", "cni0", "up");
    must(
        "ip",
        "-n",
        node,
        "link",
        "add",
        "veth77aa",
        "type",
        "veth",
        "peer",
        "name",
        "eth0",
        "netns",
        pod);
    must("ip", "-n", node, "link", "set", "veth77aa", "master", "cni0", "up");
    must("ip", "-n", pod, "addr", "add", "10.250.1.5/24", "dev", "eth0");
    must("ip", "-n", pod, "link", "set", "eth0", "up");
    must(
        "ip",
        "-n",
        node,
        "route",
        "add",
        "10.250.2.0/24",
        "via",
        "10.250.2.0",
        "dev",
        "flannel.1",
        "onlink");
    must(
        "ip",
        "-n",
        node,
        "neigh",
        "add",
        "10.250.2.0",
        "lladdr",
        "aa:bb:cc:00:00:02",
        "dev",
        "flannel.1",
        "nud",
        "permanent");
    must(
        "bridge",
        "-n",
        node,
        "fdb",
        "append",
        "aa:bb:cc:00:00:02",
        "dev",
        "flannel.1",
        "dst",
        "192.168.77.11");
  }

  @AfterAll
  static void removeNamespaces() {
    for (String ns : NAMESPACES) {
      sh("ip", "netns", "del", ns);
    }
  }

  @Test
  void collectorReadsTheVtepWithItsFdbNeighboursAndPodRoutes() throws Exception {
    NodeInventory inv =
        InventoryCollector.system(
                new InventoryCollector.Target("node-it", node, null, null),
                InterfaceRoles.defaults())
            .collect();
    assertThat(inv.getNode()).isEqualTo("node-it");
    assertThat(inv.getTsNanos()).isPositive();
    assertThat(inv.getAddresses()).containsExactly("192.168.77.10");
    assertThat(inv.getPodCidr()).isEqualTo("10.250.1.0/24");
    VtepInfo vtep = inv.getVteps().get(0);
    assertThat(vtep.getDevice()).isEqualTo("flannel.1");
    assertThat(vtep.getVni()).isEqualTo(1);
    assertThat(vtep.getLocal()).isEqualTo("192.168.77.10");
    assertThat(vtep.getPort()).isEqualTo(8472);
    assertThat(vtep.getMtu()).isEqualTo(1450);
    assertThat(vtep.getFdb()).containsExactly(new FdbEntry("aa:bb:cc:00:00:02", "192.168.77.11"));
    assertThat(vtep.getNeighbors())
        .containsExactly(new NeighborEntry("10.250.2.0", "aa:bb:cc:00:00:02"));
    assertThat(inv.getRoutes())
        .contains(new RouteInfo("10.250.2.0/24", "10.250.2.0", "flannel.1", "unicast", true));
    assertThat(inv.getInterfaces())
        .filteredOn(i -> i.getName().equals("veth77aa"))
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.getRole()).isEqualTo(InterfaceRole.VETH);
              assertThat(i.getMaster()).isEqualTo("cni0");
            });
  }

  @Test
  void podNamespaceInterfacesAreReportedAsPodInterfaces() throws Exception {
    NodeInventory inv =
        InventoryCollector.system(
                new InventoryCollector.Target("node-it", pod, "default/web-1", null),
                InterfaceRoles.defaults())
            .collect();
    assertThat(inv.getInterfaces())
        .filteredOn(i -> i.getName().equals("eth0"))
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.getRole()).isEqualTo(InterfaceRole.POD);
              assertThat(i.getPod()).isEqualTo("default/web-1");
              assertThat(i.getAddresses()).contains("10.250.1.5/24");
            });
  }

  @Test
  void watcherReportsANewFdbEntryButNotAnUnchangedNode() throws Exception {
    List<NodeInventory> heard = new ArrayList<>();
    InventoryCollector c =
        InventoryCollector.system(
            new InventoryCollector.Target("node-it", node, null, null), InterfaceRoles.defaults());
    try (InventoryWatcher w =
        new InventoryWatcher(
            c, heard::add, InventoryWatcher.DEFAULT_INTERVAL, InventoryWatcher.daemonScheduler())) {
      assertThat(w.pollOnce()).isTrue();
      assertThat(w.pollOnce()).isFalse();
      must(
          "bridge",
          "-n",
          node,
          "fdb",
          "append",
          "aa:bb:cc:00:00:03",
          "dev",
          "flannel.1",
          "dst",
          "192.168.77.12");
      assertThat(w.pollOnce()).isTrue();
      sh(
          "bridge",
          "-n",
          node,
          "fdb",
          "del",
          "aa:bb:cc:00:00:03",
          "dev",
          "flannel.1",
          "dst",
          "192.168.77.12");
    }
    assertThat(heard).hasSize(2);
    assertThat(heard.get(1).getVteps().get(0).getFdb()).hasSize(2);
  }
}
