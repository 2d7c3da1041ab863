package io.hoptrace.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.schema.InterfaceRole;
import io.hoptrace.schema.NodeInventory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestReaderTest {
  @TempDir Path dir;

  private Path manifest(String json) throws IOException {
    Files.write(dir.resolve("a.pcap"), new byte[24]);
    Path m = dir.resolve("manifest.json");
    Files.writeString(m, json);
    return m;
  }

  private static final String NODE =
      "{\"name\": \"node-a\", \"addresses\": [\"192.168.232.128\"], \"podCidr\": \"10.244.0.0/24\","
          + " \"vteps\": [{\"device\": \"flannel.1\", \"vni\": 1, \"local\": \"192.168.232.128\","
          + " \"port\": 8472, \"fdb\": [{\"mac\": \"ca:fe:0a:f4:01:00\", \"dst\":"
          + " \"192.168.232.130\"}]}]}";

  @Test
  void readsTheIssueFormatIntoHopsAndInventories() throws IOException {
    Manifest m =
        Manifest.read(
            manifest(
                "{\"nodes\": ["
                    + NODE
                    + "], \"hops\": [{\"node\": \"node-a\", \"pod\": \"pod-a1\", \"iface\": \"eth0\","
                    + " \"role\": \"POD\", \"file\": \"a.pcap\"}, {\"node\": \"node-a\", \"iface\":"
                    + " \"flannel.1\", \"file\": \"a.pcap\"}]}"));
    assertThat(m.hops())
        .extracting(Manifest.Hop::id)
        .containsExactly("node-a/pod-a1/eth0", "node-a/flannel.1");
    assertThat(m.hops().get(1).role()).isEqualTo(InterfaceRole.VTEP);
    assertThat(m.hops().get(0).file()).isEqualTo(dir.resolve("a.pcap").toAbsolutePath());
    List<NodeInventory> inv = m.inventories(42);
    assertThat(inv).hasSize(1);
    assertThat(inv.get(0).getVteps().get(0).getFdb().get(0).getDst()).isEqualTo("192.168.232.130");
    assertThat(inv.get(0).getInterfaces())
        .extracting(i -> i.getName())
        .containsExactly("eth0", "flannel.1");
  }

  @Test
  void aDualStackNodeListsOnePodCidrPerFamily() throws IOException {
    String node =
        NODE.replace(
            "\"podCidr\": \"10.244.0.0/24\",",
            "\"podCidr\": \"10.244.0.0/24\", \"podCidrs\": [\"10.244.0.0/24\", \"fd00:10:244::/64\"],");
    Manifest m =
        Manifest.read(
            manifest(
                "{\"nodes\": ["
                    + node
                    + "], \"hops\": [{\"node\": \"node-a\", \"iface\": \"ens33\", \"file\":"
                    + " \"a.pcap\"}]}"));
    NodeInventory inv = m.inventories(1).get(0);
    assertThat(inv.getPodCidr()).isEqualTo("10.244.0.0/24");
    assertThat(inv.getPodCidrs()).containsExactly("10.244.0.0/24", "fd00:10:244::/64");

    Path bad =
        manifest(
            "{\"nodes\": ["
                + NODE.replace("\"podCidr\": \"10.244.0.0/24\",", "\"podCidrs\": [7],")
                + "], \"hops\": []}");
    assertThatThrownBy(() -> Manifest.read(bad))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("nodes[0].podCidrs[0]");
  }

  @Test
  void unknownFieldIsNamedWithItsPath() throws IOException {
    Path m =
        manifest(
            "{\"nodes\": [], \"hops\": [{\"node\": \"n\", \"iface\": \"eth0\", \"rol\": \"POD\","
                + " \"file\": \"a.pcap\"}]}");
    assertThatThrownBy(() -> Manifest.read(m))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("hops[0].rol")
        .hasMessageContaining("unknown field");
  }

  @Test
  void missingRequiredFieldIsNamed() throws IOException {
    Path m =
        manifest(
            "{\"nodes\": [{\"name\": \"n\", \"addresses\": [], \"vteps\": [{\"device\": \"v\","
                + " \"vni\": 1, \"port\": 8472}]}], \"hops\": [{\"node\": \"n\", \"iface\": \"e\","
                + " \"file\": \"a.pcap\"}]}");
    assertThatThrownBy(() -> Manifest.read(m))
        .hasMessageContaining("nodes[0].vteps[0].local: missing field");
  }

  @Test
  void missingCaptureFileAndBadRoleAreErrors() throws IOException {
    Path m1 =
        manifest(
            "{\"nodes\": [], \"hops\": [{\"node\": \"n\", \"iface\": \"e\", \"file\": \"nope.pcap\"}]}");
    assertThatThrownBy(() -> Manifest.read(m1))
        .hasMessageContaining("hops[0].file")
        .hasMessageContaining("does not exist");
    Path m2 =
        manifest(
            "{\"nodes\": [], \"hops\": [{\"node\": \"n\", \"iface\": \"e\", \"role\": \"ROUTER\","
                + " \"file\": \"a.pcap\"}]}");
    assertThatThrownBy(() -> Manifest.read(m2))
        .hasMessageContaining("hops[0].role")
        .hasMessageContaining("ROUTER");
  }

  @Test
  void errorsStayOneLineWhateverTheStringsHold() throws IOException {
    Path role =
        manifest(
            "{\"nodes\": [], \"hops\": [{\"node\": \"n\", \"iface\": \"e\", \"role\": \"X\\nY\","
                + " \"file\": \"a.pcap\"}]}");
    assertThatThrownBy(() -> Manifest.read(role))
        .hasMessageContaining("hops[0].role: unknown role \"X\\nY\"")
        .hasMessageNotContaining("\n");
    Path nul =
        manifest(
            "{\"nodes\": [], \"hops\": [{\"node\": \"n\", \"iface\": \"e\","
                + " \"file\": \"a\\u0000.pcap\"}]}");
    assertThatThrownBy(() -> Manifest.read(nul))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("hops[0].file: \"a\\u0000.pcap\" is not a file name");
  }

  @Test
  void notJsonIsAClearError() throws IOException {
    Path m = manifest("{\"nodes\": [");
    assertThatThrownBy(() -> Manifest.read(m))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("not valid JSON");
  }

  // ------------------------------------------------------------------ addresses (issue 17)

  private static final String HOP_A =
      "{\"node\": \"node-a\", \"iface\": \"flannel.1\", \"file\": \"a.pcap\"}";

  /** The good node with {@code from} replaced by {@code to}, as a whole manifest. */
  private Path nodeWith(String from, String to) throws IOException {
    assertThat(NODE).contains(from);
    return manifest("{\"nodes\": [" + NODE.replace(from, to) + "], \"hops\": [" + HOP_A + "]}");
  }

  @Test
  void theGoodNodeReads() throws IOException {
    assertThat(Manifest.read(nodeWith("10.244.0.0/24", "10.244.0.0/24")).nodes()).hasSize(1);
  }

  @Test
  void addressesThatAreNotIpLiteralsAreNamedByPath() throws IOException {
    for (String bad : List.of("192.168.232.1288", "192.168.232", "node-a.local", "10.0.0.1/24")) {
      assertThatThrownBy(
              () ->
                  Manifest.read(
                      nodeWith(
                          "\"addresses\": [\"192.168.232.128\"]",
                          "\"addresses\": [\"192.168.232.128\", \"" + bad + "\"]")))
          .as(bad)
          .isInstanceOf(ManifestException.class)
          .hasMessageContaining("nodes[0].addresses[1]")
          .hasMessageContaining("\"" + bad + "\" is not an IP address");
    }
    // IPv6 literals are addresses too
    assertThat(
            Manifest.read(
                    nodeWith(
                        "\"addresses\": [\"192.168.232.128\"]",
                        "\"addresses\": [\"192.168.232.128\", \"fd00::1\"]"))
                .nodes()
                .get(0)
                .addresses())
        .containsExactly("192.168.232.128", "fd00::1");
  }

  @Test
  void podCidrMustBeAPrefix() throws IOException {
    for (String bad :
        List.of("10.244.0.0", "10.244.0.0/33", "10.244.0/24", "10.244.0.0/x", "/24")) {
      assertThatThrownBy(() -> Manifest.read(nodeWith("10.244.0.0/24", bad)))
          .as(bad)
          .isInstanceOf(ManifestException.class)
          .hasMessageContaining("nodes[0].podCidr")
          .hasMessageContaining("is not an IP prefix");
    }
    assertThat(Manifest.read(nodeWith("10.244.0.0/24", "fd00:10:244::/64")).nodes()).hasSize(1);
  }

  @Test
  void vtepLocalAndFdbEntriesAreChecked() throws IOException {
    assertThatThrownBy(
            () ->
                Manifest.read(
                    nodeWith("\"local\": \"192.168.232.128\"", "\"local\": \"192.168.232.12B\"")))
        .hasMessageContaining("nodes[0].vteps[0].local")
        .hasMessageContaining("is not an IP address");
    assertThatThrownBy(() -> Manifest.read(nodeWith("ca:fe:0a:f4:01:00", "ca:fe:0a:f4:01")))
        .hasMessageContaining("nodes[0].vteps[0].fdb[0].mac")
        .hasMessageContaining("is not a MAC address");
    assertThatThrownBy(() -> Manifest.read(nodeWith("ca:fe:0a:f4:01:00", "ca:fe:0a:f4:01:zz")))
        .hasMessageContaining("fdb[0].mac");
    assertThatThrownBy(
            () ->
                Manifest.read(
                    nodeWith("\"dst\": \"192.168.232.130\"", "\"dst\": \"192.168.232.1300\"")))
        .hasMessageContaining("nodes[0].vteps[0].fdb[0].dst")
        .hasMessageContaining("is not an IP address");
  }

  @Test
  void aHopOnANodeNotListedIsAnError() throws IOException {
    Path m =
        manifest(
            "{\"nodes\": ["
                + NODE
                + "], \"hops\": ["
                + HOP_A
                + ", {\"node\": \"node-c\", \"iface\": \"eth0\", \"file\": \"a.pcap\"}]}");
    assertThatThrownBy(() -> Manifest.read(m))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("hops[1].node")
        .hasMessageContaining("node \"node-c\" is not in \"nodes\" (listed: node-a)");
    // a manifest without nodes is captures without inventory: any node name goes
    Path bare =
        manifest(
            "{\"nodes\": [], \"hops\": [{\"node\": \"trace\", \"iface\": \"eth0\", \"file\":"
                + " \"a.pcap\"}]}");
    assertThat(Manifest.read(bare).hops()).hasSize(1);
  }

  @Test
  void trailingGarbageAfterTheJsonIsAnError() throws IOException {
    Path m = manifest("{\"nodes\": [" + NODE + "], \"hops\": [" + HOP_A + "]} x");
    assertThatThrownBy(() -> Manifest.read(m))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("not valid JSON")
        .hasMessageContaining("line 1");
    Path twice = manifest("{\"nodes\": [], \"hops\": [" + HOP_A + "]}{}");
    assertThatThrownBy(() -> Manifest.read(twice)).hasMessageContaining("not valid JSON");
  }
}
