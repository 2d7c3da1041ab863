package io.hoptrace.discovery;

import static io.hoptrace.discovery.LabFixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hoptrace.capture.InterfaceRoles;
import io.hoptrace.capture.NetnsTarget;
import io.hoptrace.discovery.LabFixtures.FakeRunner;
import io.hoptrace.inventory.InventoryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HopDiscoveryTest {
  private static final HopDiscovery.Target NODE_B =
      new HopDiscovery.Target("node-b", "ht-node-b", null);

  @TempDir Path tmp;

  private HopDiscovery discovery(FakeRunner runner, ExcludeFilter exclude, NamespaceIndex index) {
    return new HopDiscovery(
        NODE_B, InterfaceRoles.defaults(), new PodNaming("ht-"), exclude, runner, index);
  }

  private NamespaceIndex emptyIndex() {
    return new NamespaceIndex(tmp.resolve("netns"), tmp.resolve("proc"));
  }

  /** node/pod/iface ROLE of node-b's hops in the lab's recorded healthy manifest. */
  static Set<String> manifestHops(String node) throws Exception {
    JsonNode m =
        new ObjectMapper()
            .readTree(Path.of("../deploy/lab/recordings/healthy/manifest.json").toFile());
    Set<String> out = new TreeSet<>();
    for (JsonNode h : m.path("hops")) {
      if (h.path("node").asText().equals(node)) {
        String pod = h.hasNonNull("pod") ? h.path("pod").asText() + "/" : "";
        out.add(node + "/" + pod + h.path("iface").asText() + " " + h.path("role").asText());
      }
    }
    return out;
  }

  static Set<String> idsAndRoles(List<DiscoveredHop> hops) {
    Set<String> out = new TreeSet<>();
    hops.forEach(h -> out.add(h.id() + " " + h.hop().role()));
    return out;
  }

  @Test
  void labNodeBGivesExactlyTheRecordedManifestsHops() throws Exception {
    List<DiscoveredHop> hops =
        discovery(
                LabFixtures.nodeB(read("lab-node-b-netns-ids.json")),
                ExcludeFilter.none(),
                emptyIndex())
            .discover();
    assertThat(hops).hasSize(9);
    assertThat(idsAndRoles(hops)).isEqualTo(manifestHops("node-b"));
    DiscoveredHop pod =
        hops.stream().filter(h -> h.id().equals("node-b/pod-b2/eth0")).findFirst().orElseThrow();
    assertThat(pod.netns()).isEqualTo(NetnsTarget.named("ht-pod-b2"));
    assertThat(pod.ip()).isEqualTo("10.244.1.3");
    assertThat(hops.get(0).netns()).isEqualTo(NetnsTarget.named("ht-node-b"));
    // each pod right after its veth
    assertThat(hops)
        .extracting(DiscoveredHop::id)
        .containsSubsequence("node-b/vethb2", "node-b/pod-b2/eth0");
  }

  @Test
  void podNamespacesAreReadOnceWhileTheirVethsExist() throws Exception {
    List<List<String>> commands = new ArrayList<>();
    FakeRunner answers = LabFixtures.nodeB(read("lab-node-b-netns-ids.json"));
    HopDiscovery d =
        new HopDiscovery(
            NODE_B,
            InterfaceRoles.defaults(),
            new PodNaming("ht-"),
            ExcludeFilter.none(),
            (command, timeout) -> {
              commands.add(command);
              return answers.run(command, timeout);
            },
            emptyIndex());
    List<DiscoveredHop> first = d.discover();
    long podReads = commands.stream().filter(c -> c.get(2).startsWith("ht-pod-")).count();
    assertThat(podReads).isEqualTo(6); // link + addr of each of the 3 pods
    commands.clear();
    List<DiscoveredHop> second = d.discover();
    assertThat(second).isEqualTo(first);
    assertThat(commands).isNotEmpty().allMatch(c -> c.get(2).equals("ht-node-b"));
  }

  @Test
  void excludePatternsMatchInterfaceNamesOrHopIds() throws Exception {
    List<DiscoveredHop> hops =
        discovery(
                LabFixtures.nodeB(read("lab-node-b-netns-ids.json")),
                ExcludeFilter.of(List.of("veth*", "node-b/pod-b[13]/*")),
                emptyIndex())
            .discover();
    assertThat(hops)
        .extracting(DiscoveredHop::id)
        .containsExactly("node-b/ens33", "node-b/flannel.1", "node-b/cni0", "node-b/pod-b2/eth0");
  }

  @Test
  void badExcludePatternIsNamed() {
    assertThatThrownBy(() -> ExcludeFilter.of(List.of("veth[")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("bad --exclude pattern 'veth['");
  }

  @Test
  void unnamedPodNamespacesAreFoundThroughProcessesByTheVethPairing() throws Exception {
    // no nsid has a name: the pods' namespaces are reachable only as /proc/PID/ns/net
    FakeRunner runner = new FakeRunner();
    LabFixtures.nodeCommands(runner, "[]", "ip", "-n", "ht-node-b");
    Path proc = tmp.resolve("proc");
    List<String> pids = List.of("101", "202", "303", "404", "505");
    List<String> pods = List.of("b1", "b2", "b3", "b2", "b3");
    long[] inodes = {1, 2, 3, 2, 5}; // 404 shares 202's namespace; 505 is a second match for b3
    for (int i = 0; i < pids.size(); i++) {
      Path ns = Files.createDirectories(proc.resolve(pids.get(i)).resolve("ns")).resolve("net");
      Files.createSymbolicLink(ns, Path.of("net:[" + (4026530000L + inodes[i]) + "]"));
      String[] prefix = {"nsenter", "--net=" + ns, "--", "ip"};
      runner.answer(
          read("lab-pod-" + pods.get(i) + "-link.json"),
          LabFixtures.cmd(prefix, "-d", "-j", "link", "show"));
      runner.answer(
          read("lab-pod-" + pods.get(i) + "-addr.json"),
          LabFixtures.cmd(prefix, "-j", "addr", "show"));
    }
    List<DiscoveredHop> hops =
        discovery(runner, ExcludeFilter.none(), new NamespaceIndex(tmp.resolve("netns"), proc))
            .discover();
    List<String> podHops = new ArrayList<>();
    hops.stream()
        .filter(h -> h.hop().pod() != null)
        .forEach(h -> podHops.add(h.id() + " " + h.ip()));
    assertThat(podHops)
        .containsExactly(
            "node-b/pid-101/eth0 10.244.1.2",
            "node-b/pid-202/eth0 10.244.1.3"); // vethb3's peer pairs in two namespaces: skipped
  }

  @Test
  void aPodGoneMidScanIsSkippedAndTheRestListed() throws Exception {
    FakeRunner runner = LabFixtures.nodeB(read("lab-node-b-netns-ids.json"));
    runner.answers.remove(List.of("ip", "-n", "ht-pod-b3", "-d", "-j", "link", "show"));
    List<DiscoveredHop> hops = discovery(runner, ExcludeFilter.none(), emptyIndex()).discover();
    assertThat(hops)
        .extracting(DiscoveredHop::id)
        .contains("node-b/vethb3")
        .doesNotContain("node-b/pod-b3/eth0");
    assertThat(hops).hasSize(8);
  }

  @Test
  void unreadableNodeNamespaceFails() {
    assertThatThrownBy(
            () -> discovery(new FakeRunner(), ExcludeFilter.none(), emptyIndex()).discover())
        .isInstanceOf(InventoryException.class)
        .hasMessageContaining("ip -n ht-node-b");
  }

  @Test
  void podNamesStripTheConfiguredPrefixOnly() {
    PodNaming n = new PodNaming("ht-");
    assertThat(n.podName(NetnsTarget.named("ht-pod-a1"))).isEqualTo("pod-a1");
    assertThat(n.podName(NetnsTarget.named("cni-5f1e"))).isEqualTo("cni-5f1e");
    assertThat(n.podName(NetnsTarget.named("ht-"))).isEqualTo("ht-");
    assertThat(n.podName(NetnsTarget.path("/proc/4711/ns/net"))).isEqualTo("pid-4711");
    assertThat(PodNaming.verbatim().podName(NetnsTarget.named("ht-pod-a1"))).isEqualTo("ht-pod-a1");
  }
}
