package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hoptrace.decode.DecoderConfig;
import io.hoptrace.pipeline.EmbeddedPipeline;
import io.hoptrace.replay.Analysis;
import io.hoptrace.replay.Recordings;
import io.hoptrace.schema.FiveTuple;
import io.hoptrace.schema.FlowRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hoptrace pcap} against two sensors that keep rings: the detection job has run on the
 * vxlan-blocked recording (its flows, alerts and incident on the topics), then one {@code sensor
 * --pcap ... --ring-seconds} per node replays that node's captures (its own JVM, as launched) and
 * answers requests; {@code pcap --conversation} and {@code pcap --incident} merge the answers into
 * one pcapng, read back by tshark: one interface per hop that captured the flows, named by hop id
 * and described by role, with as many packets as tshark finds of them in that hop's capture, in
 * time order, and nothing else.
 */
class PcapCommandIT {
  private static final Path SCENARIO =
      CliRun.repoRoot().resolve("deploy/lab/recordings/vxlan-blocked");

  /** The captures each sensor replays: hop id → file (iface names as the sensor is told). */
  private static final Map<String, List<String>> SENSORS =
      Map.of(
          "node-a", List.of("ens33", "flannel.1", "cni0"),
          "node-b", List.of("ens33", "flannel.1"));

  private static EmbeddedPipeline pipeline;
  private static Analysis.Result analysis;

  @TempDir static Path tmp;

  @BeforeAll
  static void detect() throws Exception {
    Tshark.assertInstalled();
    pipeline = EmbeddedPipeline.builder().start();
    analysis =
        new Analysis(
                pipeline, DecoderConfig.defaults(), InstantSource.system(), Duration.ofMinutes(2))
            .run(Recordings.manifest("vxlan-blocked"), m -> {});
    assertThat(analysis.incidents()).hasSize(1);
  }

  @AfterAll
  static void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  private static ChildHoptrace sensor(String node) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "sensor",
                "--node",
                node,
                "--bootstrap",
                pipeline.bootstrapServers(),
                "--ring-seconds",
                "3600",
                "--ring-bytes",
                "16M"));
    for (String iface : SENSORS.get(node)) {
      args.addAll(
          List.of(
              "--pcap",
              SCENARIO.resolve(node + "." + iface + ".pcap").toString(),
              "--iface",
              iface));
    }
    return ChildHoptrace.start(tmp.resolve(node + ".log"), Map.of(), args.toArray(String[]::new));
  }

  /** Packets per hop id that tshark finds matching {@code filter} in the sensors' captures. */
  private static Map<String, Integer> inCaptures(String filter) throws Exception {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (String node : List.of("node-a", "node-b")) {
      for (String iface : SENSORS.get(node)) {
        int n =
            Tshark.fields(SCENARIO.resolve(node + "." + iface + ".pcap"), filter, "frame.number")
                .size();
        if (n > 0) {
          out.put(node + "/" + iface, n);
        }
      }
    }
    return out;
  }

  /** Runs pcap and checks its file against tshark's reading of the captures with {@code filter}. */
  private static Map<String, Integer> pcap(String filter, String... subject) throws Exception {
    Path out = tmp.resolve(subject[1] + ".pcapng");
    List<String> args =
        new ArrayList<>(
            List.of(
                "pcap",
                "--bootstrap",
                pipeline.bootstrapServers(),
                "-o",
                out.toString(),
                "--timeout",
                "60"));
    args.addAll(List.of(subject));
    long t0 = System.nanoTime();
    CliRun r = CliRun.run(args.toArray(String[]::new));
    // what the user sees, for docs/evidence.md
    System.out.printf("%s(%d ms)%n", r.err(), (System.nanoTime() - t0) / 1_000_000);
    assertThat(r.exitCode()).as(r.err()).isZero();

    Map<String, Integer> expected = inCaptures(filter);
    Tshark.Frames frames = Tshark.frames(out);
    assertThat(frames.perInterface()).as(r.err()).isEqualTo(expected);
    assertThat(frames.descriptions())
        .containsEntry("node-a/ens33", "UPLINK")
        .containsEntry("node-a/flannel.1", "VTEP");
    assertThat(frames.times()).isSorted();
    assertThat(Tshark.fields(out, filter, "frame.number"))
        .as("only the flows")
        .hasSize(frames.size());
    assertThat(r.err()).contains("wrote " + out + ": " + frames.size() + " packet(s)");
    return expected;
  }

  @Test
  void theSensorsRingsGiveOnePcapngOfAConversationAndOfTheIncident() throws Exception {
    JsonNode truth = CliRun.JSON.readTree(SCENARIO.resolve("truth.json").toFile());
    JsonNode tcp = null;
    for (JsonNode f : truth.get("flows")) {
      if (f.get("proto").asInt() == 6) {
        tcp = f;
      }
    }
    String conversation = null;
    for (FlowRecord f : analysis.flows()) {
      for (FiveTuple t : f.getTuples()) {
        if (t.getProto() == 6 && t.getDport() == tcp.get("dport").asInt()) {
          conversation = f.getConversationId();
        }
      }
    }
    assertThat(conversation).as("the TCP flow's conversation").isNotNull();
    String incident = analysis.incidents().get(0).getId();

    try (ChildHoptrace a = sensor("node-a");
        ChildHoptrace b = sensor("node-b")) {
      a.awaitOutput("answering pcap requests until Ctrl-C", Duration.ofMinutes(2));
      b.awaitOutput("answering pcap requests until Ctrl-C", Duration.ofMinutes(2));

      Map<String, Integer> conv = pcap(Tshark.flowFilter(tcp), "--conversation", conversation);
      // the scenario: node-a's hops and node-b's uplink saw the SYNs, node-b's VTEP never
      assertThat(conv)
          .containsKeys("node-a/cni0", "node-a/flannel.1", "node-a/ens33", "node-b/ens33")
          .doesNotContainKey("node-b/flannel.1");

      Map<String, Integer> all =
          pcap(Tshark.truthFilter(SCENARIO.resolve("truth.json")), "--incident", incident);
      assertThat(all.values().stream().mapToInt(Integer::intValue).sum())
          .isGreaterThan(conv.values().stream().mapToInt(Integer::intValue).sum());

      CliRun unknown =
          CliRun.run(
              "pcap",
              "--bootstrap",
              pipeline.bootstrapServers(),
              "-o",
              tmp.resolve("x.pcapng").toString(),
              "--incident",
              "no-such-incident");
      assertThat(unknown.exitCode()).isEqualTo(2);
      assertThat(unknown.err().strip())
          .isEqualTo(
              "hoptrace pcap: error: unknown incident no-such-incident: no record of it on topic hoptrace.incidents");
      System.out.print(a.output());
      assertThat(a.output())
          .contains("pcap request")
          .contains("(conversation " + conversation + "): answered");
    }

    CliRun none =
        CliRun.run(
            "pcap",
            "--bootstrap",
            pipeline.bootstrapServers(),
            "-o",
            tmp.resolve("none.pcapng").toString(),
            "--timeout",
            "2",
            "--conversation",
            conversation);
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.err()).contains("hoptrace pcap: error: no sensor answered within 2 s");
    assertThat(tmp.resolve("none.pcapng")).doesNotExist();
  }
}
