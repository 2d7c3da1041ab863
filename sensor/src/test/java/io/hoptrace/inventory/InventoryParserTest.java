package io.hoptrace.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.hoptrace.capture.InterfaceRoles;
import io.hoptrace.schema.FdbEntry;
import io.hoptrace.schema.InterfaceInfo;
import io.hoptrace.schema.InterfaceRole;
import io.hoptrace.schema.NeighborEntry;
import io.hoptrace.schema.NodeInventory;
import io.hoptrace.schema.RouteInfo;
import io.hoptrace.schema.VtepInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InventoryParserTest {

  private final InventoryParser parser = new InventoryParser(InterfaceRoles.defaults());

  private static InterfaceInfo iface(NodeInventory inv, String name) {
    return inv.getInterfaces().stream()
        .filter(i -> i.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void flannelNodeInterfacesGetRolesKindsMtusAndAddresses() throws Exception {
    NodeInventory inv = parser.parse("node-a", null, 42L, Fixtures.node());
    assertThat(inv.getNode()).isEqualTo("node-a");
    assertThat(inv.getTsNanos()).isEqualTo(42L);
    assertThat(inv.getInterfaces())
        .extracting(InterfaceInfo::getName)
        .containsExactly("lo", "eth0", "flannel.1", "cni0", "veth3f2a9c1", "vxlan.calico");
    assertThat(inv.getInterfaces())
        .extracting(InterfaceInfo::getRole)
        .containsExactly(
            InterfaceRole.ANY,
            InterfaceRole.UPLINK,
            InterfaceRole.VTEP,
            InterfaceRole.BRIDGE,
            InterfaceRole.VETH,
            InterfaceRole.VTEP);
    InterfaceInfo flannel = iface(inv, "flannel.1");
    assertThat(flannel.getKind()).isEqualTo("vxlan");
    assertThat(flannel.getMtu()).isEqualTo(1450);
    assertThat(flannel.getMac()).isEqualTo("0a:58:0a:f4:01:00");
    assertThat(flannel.getAddresses())
        .containsExactly("10.244.1.0/32", "fe80::858:aff:fef4:100/64");
    assertThat(flannel.getUp()).isTrue();
    assertThat(iface(inv, "veth3f2a9c1").getMaster()).isEqualTo("cni0");
    assertThat(iface(inv, "veth3f2a9c1").getKind()).isEqualTo("veth");
    assertThat(iface(inv, "cni0").getKind()).isEqualTo("bridge");
    assertThat(iface(inv, "eth0").getAddresses()).contains("192.168.50.10/24");
    assertThat(inv.getAddresses()).containsExactly("192.168.50.10");
    assertThat(inv.getPodCidr()).isEqualTo("10.244.1.0/24");
  }

  @Test
  void vtepsCarryVniLocalPortFdbAndNeighbours() throws Exception {
    NodeInventory inv = parser.parse("node-a", null, 0L, Fixtures.node());
    assertThat(inv.getVteps())
        .extracting(VtepInfo::getDevice)
        .containsExactly("flannel.1", "vxlan.calico");
    VtepInfo flannel = inv.getVteps().get(0);
    assertThat(flannel.getVni()).isEqualTo(1L);
    assertThat(flannel.getLocal()).isEqualTo("192.168.50.10");
    assertThat(flannel.getPort()).isEqualTo(8472);
    assertThat(flannel.getMtu()).isEqualTo(1450);
    assertThat(flannel.getFdb())
        .containsExactly(
            new FdbEntry("66:77:88:99:aa:02", "192.168.50.11"),
            new FdbEntry("66:77:88:99:aa:03", "192.168.50.12"));
    assertThat(flannel.getNeighbors())
        .containsExactly(
            new NeighborEntry("10.244.2.0", "66:77:88:99:aa:02"),
            new NeighborEntry("10.244.3.0", "66:77:88:99:aa:03"));
    VtepInfo calico = inv.getVteps().get(1);
    assertThat(calico.getVni()).isEqualTo(4096L);
    assertThat(calico.getPort()).isEqualTo(4789);
    assertThat(calico.getFdb()).isEmpty();
  }

  @Test
  void podCidrRoutesAreTheOverlayBridgeAndBlackholeRoutes() throws Exception {
    NodeInventory inv = parser.parse("node-a", null, 0L, Fixtures.node());
    assertThat(inv.getRoutes())
        .containsExactly(
            new RouteInfo("10.244.1.0/24", null, "cni0", "unicast", false),
            new RouteInfo("10.244.2.0/24", "10.244.2.0", "flannel.1", "unicast", true),
            new RouteInfo("10.244.3.0/24", "10.244.3.0", "flannel.1", "unicast", true),
            new RouteInfo("10.244.9.0/26", null, null, "blackhole", false));
  }

  @Test
  void aDualStackNodeHasOnePodCidrAndOneVtepPerFamilyAndItsIpv6PodRoutes() throws Exception {
    NodeInventory inv = parser.parse("node-b", null, 0L, Fixtures.dualStackNode());
    assertThat(inv.getPodCidr()).isEqualTo("10.244.1.0/24");
    assertThat(inv.getPodCidrs()).containsExactly("10.244.1.0/24", "fd00:10:244:1::/64");
    assertThat(inv.getAddresses()).containsExactly("192.168.232.130", "fd00:232::130");
    assertThat(inv.getVteps())
        .extracting(VtepInfo::getDevice, VtepInfo::getLocal)
        .containsExactly(
            tuple("flannel.1", "192.168.232.130"), tuple("flannel-v6.1", "fd00:232::130"));
    assertThat(inv.getRoutes())
        .contains(
            new RouteInfo("fd00:10:244::/64", "fd00:10:244::", "flannel-v6.1", "unicast", true));
  }

  @Test
  void podNamespaceInterfacesArePodInterfaces() throws Exception {
    NodeInventory inv = parser.parse("node-a", "default/web-1", 0L, Fixtures.pod());
    InterfaceInfo eth0 = iface(inv, "eth0");
    assertThat(eth0.getRole()).isEqualTo(InterfaceRole.POD);
    assertThat(eth0.getPod()).isEqualTo("default/web-1");
    assertThat(eth0.getAddresses()).contains("10.244.1.5/24");
    assertThat(iface(inv, "lo").getRole()).isEqualTo(InterfaceRole.ANY);
    assertThat(inv.getVteps()).isEmpty();
    assertThat(inv.getPodCidr()).isNull();
  }

  @Test
  void overridesChangeRoles() throws Exception {
    InventoryParser p =
        new InventoryParser(InterfaceRoles.withOverrides(Map.of("eth0", InterfaceRole.TUNNEL)));
    NodeInventory inv = p.parse("n", null, 0L, Fixtures.node());
    assertThat(iface(inv, "eth0").getRole()).isEqualTo(InterfaceRole.TUNNEL);
    assertThat(inv.getAddresses()).isEmpty();
  }

  @Test
  void vtepDevicesAreTheVxlanLinks() throws Exception {
    assertThat(parser.vtepDevices(Fixtures.load("node-link.json")))
        .containsExactly("flannel.1", "vxlan.calico");
  }

  @Test
  void badJsonIsAClearError() {
    InventorySources bad = new InventorySources("[{\"ifname\":", "[]", "[]", Map.of(), Map.of());
    assertThatThrownBy(() -> parser.parse("n", null, 0L, bad))
        .isInstanceOf(InventoryException.class)
        .hasMessageContaining("cannot parse the output of 'ip -d -j link show'");
    InventorySources notArray = new InventorySources("{}", "[]", "[]", Map.of(), Map.of());
    assertThatThrownBy(() -> parser.parse("n", null, 0L, notArray))
        .hasMessageContaining("did not print a JSON array");
    InventorySources empty = new InventorySources("", "[]", "[]", Map.of(), Map.of());
    assertThatThrownBy(() -> parser.parse("n", null, 0L, empty))
        .hasMessageContaining("printed nothing");
  }

  @Test
  void networkOfAnAddressMasksTheHostBits() {
    assertThat(InventoryParser.network("10.244.1.1/24")).isEqualTo("10.244.1.0/24");
    assertThat(InventoryParser.network("10.244.1.77/26")).isEqualTo("10.244.1.64/26");
    assertThat(InventoryParser.network("fd00::1/64")).isEqualTo("fd00::/64"); // RFC 5952, as IpText
    // not an address: kept as it is, never resolved as a host name
    assertThat(InventoryParser.network("localhost/8")).isEqualTo("localhost/8");
  }

  @Test
  void addressesListHasNoLinkLocalNodeAddresses() throws Exception {
    NodeInventory inv = parser.parse("node-a", null, 0L, Fixtures.node());
    assertThat(inv.getAddresses()).noneMatch(a -> a.startsWith("fe80"));
    assertThat(List.copyOf(inv.getAddresses())).doesNotHaveDuplicates();
  }
}
