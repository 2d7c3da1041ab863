package io.hoptrace.discovery;

import static io.hoptrace.discovery.LabFixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.hoptrace.capture.InterfaceRoles;
import io.hoptrace.discovery.NodeLinkParser.NodeLink;
import io.hoptrace.discovery.NodeLinkParser.PeerRef;
import io.hoptrace.inventory.InventoryException;
import io.hoptrace.schema.InterfaceRole;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeLinkParserTest {
  private final NodeLinkParser parser = new NodeLinkParser(InterfaceRoles.defaults());

  private static String inventoryFixture(String name) throws IOException {
    try (InputStream in = NodeLinkParserTest.class.getResourceAsStream("/inventory/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void labNodeUplinkIsTheVethHoldingTheNodeAddressNotAPodVeth() throws Exception {
    List<NodeLink> links =
        parser.parse(
            read("lab-node-b-link.json"),
            read("lab-node-b-addr.json"),
            read("lab-node-b-route.json"),
            read("lab-node-b-netns-ids.json"));
    assertThat(links)
        .extracting(NodeLink::name, NodeLink::role)
        .containsExactly(
            tuple("ens33", InterfaceRole.UPLINK),
            tuple("flannel.1", InterfaceRole.VTEP),
            tuple("cni0", InterfaceRole.BRIDGE),
            tuple("vethb1", InterfaceRole.VETH),
            tuple("vethb2", InterfaceRole.VETH),
            tuple("vethb3", InterfaceRole.VETH));
    assertThat(links.get(0).peer()).isNull(); // its peer is in ht-underlay, but it is the uplink
    assertThat(links.get(4).peer()).isEqualTo(new PeerRef(6, 2, "ht-pod-b2", 2));
  }

  @Test
  void dualStackNodeListsBothVtepsAndPeersWithoutNamesWhenNoIdIsNamed() throws Exception {
    List<NodeLink> links =
        parser.parse(
            inventoryFixture("dualstack-node-link.json"),
            inventoryFixture("dualstack-node-addr.json"),
            inventoryFixture("dualstack-node-route.json"),
            "");
    assertThat(links)
        .extracting(NodeLink::name)
        .containsExactly(
            "ens33", "flannel.1", "cni0", "flannel-v6.1", "vethb1", "vethb2", "vethb3");
    assertThat(links.get(6).peer()).isEqualTo(new PeerRef(8, 3, null, 2));
  }

  @Test
  void defaultRouteDeviceIsAnUplinkAndCalicoVtepIsFound() throws Exception {
    List<NodeLink> links =
        parser.parse(
            inventoryFixture("node-link.json"),
            inventoryFixture("node-addr.json"),
            inventoryFixture("node-route.json"),
            "[]");
    assertThat(links)
        .extracting(NodeLink::name, NodeLink::role)
        .containsExactly(
            tuple("eth0", InterfaceRole.UPLINK),
            tuple("flannel.1", InterfaceRole.VTEP),
            tuple("cni0", InterfaceRole.BRIDGE),
            tuple("veth3f2a9c1", InterfaceRole.VETH),
            tuple("vxlan.calico", InterfaceRole.VTEP));
  }

  @Test
  void anyVethWithAPeerElsewhereIsAPodVethAndAddresslessLinksAreNoHops() throws Exception {
    String links =
        """
        [{"ifindex":1,"ifname":"lo","linkinfo":null},
         {"ifindex":2,"ifname":"wan","link_index":9,"link_netnsid":0,"linkinfo":{"info_kind":"veth"}},
         {"ifindex":3,"ifname":"pod7","link_index":2,"link_netnsid":4,"linkinfo":{"info_kind":"veth"}},
         {"ifindex":4,"ifname":"dummy0","linkinfo":{"info_kind":"dummy"}},
         {"ifindex":5,"ifname":"ipip0","linkinfo":{"info_kind":"ipip"}},
         {"ifindex":6,"ifname":"gnv0","linkinfo":{"info_kind":"geneve"}},
         {"ifindex":7,"ifname":"lxcabc","link_index":2,"link_netnsid":5,"linkinfo":{"info_kind":"veth"}}]
        """;
    String routes = "[{\"dst\":\"default\",\"gateway\":\"10.0.0.1\",\"dev\":\"wan\"}]";
    List<NodeLink> out =
        new NodeLinkParser(InterfaceRoles.parse(List.of("lxcabc=POD")))
            .parse(links, "[]", routes, "[{\"nsid\":4,\"name\":\"cni-1234\"}]");
    assertThat(out)
        .extracting(NodeLink::name, NodeLink::role)
        .containsExactly(
            tuple("wan", InterfaceRole.UPLINK),
            tuple("pod7", InterfaceRole.VETH),
            tuple("ipip0", InterfaceRole.TUNNEL),
            tuple("gnv0", InterfaceRole.VTEP),
            tuple("lxcabc", InterfaceRole.POD));
    assertThat(out.get(1).peer()).isEqualTo(new PeerRef(3, 4, "cni-1234", 2));
  }

  @Test
  void unparsableOutputNamesTheCommand() {
    assertThatThrownBy(() -> parser.parse("{oops", "[]", "[]", "[]"))
        .isInstanceOf(InventoryException.class)
        .hasMessageContaining("ip -d -j link show");
    assertThatThrownBy(() -> parser.parse("[]", "{}", "[]", "[]"))
        .isInstanceOf(InventoryException.class)
        .hasMessageContaining("'ip -j addr show' did not print a JSON array");
  }
}
