package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.replay.Manifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code analyze --incident-pcaps DIR} on bundled recordings, read back by tshark (the peer; {@code
 * .ci/run} installs it): one pcapng per incident, every hop that captured the incident's flows an
 * interface named by its hop id and described by its role, as many packets per interface as tshark
 * finds of those flows in that hop's own capture, in time order, and no other packet.
 *
 * <p>The flows are the recordings' ground truth ({@code truth.json}), matched by tshark's own
 * dissection (inner headers of the VXLAN packets on the uplinks, the headers ICMP errors quote),
 * not by hoptrace's.
 */
class IncidentPcapsIT {
  private static final Path RECORDINGS = CliRun.repoRoot().resolve("deploy/lab/recordings");

  @TempDir Path tmp;

  @Test
  void onePcapngPerIncidentHoldsTheBlockedFlowsFromEveryHopThatSawThem() throws Exception {
    Path scenario = RECORDINGS.resolve("vxlan-blocked");
    Map<String, Integer> expected =
        check(scenario, Tshark.truthFilter(scenario.resolve("truth.json")), 2);
    // the scenario: seen up to node-b's uplink, never on node-b's VTEP
    assertThat(expected).containsKey("node-b/ens33").doesNotContainKey("node-b/flannel.1");
  }

  @Test
  void theRejectedFlowsFileHoldsItsIcmpErrorsAndNoOtherFlow() throws Exception {
    // port-closed: three TCP flows get a RST (no incident), the UDP flow's datagrams get ICMP port
    // unreachable (the incident); tshark's udp.port also matches the UDP header an ICMP error
    // quotes
    Path scenario = RECORDINGS.resolve("port-closed");
    String udp = "ip.addr==10.244.0.2 && ip.addr==10.244.1.2 && udp.port==40064 && udp.port==9999";
    Map<String, Integer> expected = check(scenario, udp, 1);
    assertThat(expected).containsKeys("node-a/pod-a1/eth0", "node-b/ens33", "node-b/pod-b1/eth0");
    Path pod = scenario.resolve("node-b.pod-b1.eth0.pcap");
    assertThat(tshark(pod, udp + " && icmp", "frame.number")).as("ICMP errors").isNotEmpty();
    assertThat(tshark(pod, "tcp", "frame.number")).as("other flows").isNotEmpty();
  }

  /**
   * Runs {@code analyze --incident-pcaps} on {@code scenario} (one incident expected) and checks
   * its pcapng against tshark's reading of every hop's capture with the display filter {@code
   * flows}; returns the packets per hop expected (the hops that saw the flows).
   */
  private Map<String, Integer> check(Path scenario, String flows, int conversations)
      throws Exception {
    Tshark.assertInstalled();
    Path out = tmp.resolve("pcaps/" + scenario.getFileName());
    Path manifestFile = scenario.resolve("manifest.json");

    CliRun r = CliRun.run("analyze", manifestFile.toString(), "--incident-pcaps", out.toString());

    assertThat(r.exitCode()).as(r.err()).isZero();
    List<String> incidents =
        r.jsonLines().stream()
            .filter(j -> j.has("incidentId") && j.has("alertIds"))
            .map(j -> j.get("incidentId").asText())
            .toList();
    assertThat(incidents).hasSize(1);
    Path pcapng = out.resolve(incidents.get(0) + ".pcapng");
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files).containsExactly(pcapng);
    }

    Manifest manifest = Manifest.read(manifestFile);
    Map<String, Integer> expected = new LinkedHashMap<>();
    Map<String, String> roles = new LinkedHashMap<>();
    for (Manifest.Hop h : manifest.hops()) {
      int n = tshark(h.file(), flows, "frame.number").size();
      if (n > 0) {
        expected.put(h.id(), n);
        roles.put(h.id(), h.context().role().name());
      }
    }

    Tshark.Frames frames = Tshark.frames(pcapng);
    assertThat(frames.perInterface()).isEqualTo(expected);
    assertThat(frames.descriptions()).isEqualTo(roles);
    assertThat(frames.times()).isSorted();
    // and nothing else: every packet of the file is one of the flows
    assertThat(tshark(pcapng, flows, "frame.number")).hasSize(frames.size());
    assertThat(r.err())
        .contains(
            "wrote "
                + pcapng
                + ": "
                + frames.size()
                + " packet(s) of "
                + conversations
                + " conversation(s)");
    return expected;
  }

  private static List<String> tshark(Path file, String filter, String... fields)
      throws IOException, InterruptedException {
    return Tshark.fields(file, filter, fields);
  }
}
