package io.hoptrace.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hoptrace.capture.CaptureFileException;
import io.hoptrace.capture.CaptureFileReader;
import io.hoptrace.capture.HopContext;
import io.hoptrace.decode.DecoderConfig;
import io.hoptrace.decode.PacketSummarizer;
import io.hoptrace.schema.FiveTuple;
import io.hoptrace.schema.IcmpInfo;
import io.hoptrace.schema.InterfaceRole;
import io.hoptrace.schema.PacketSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The sensor's Kafka key and the detection core's conversation key agree on every packet of the
 * reference captures: the lab recordings ({@code deploy/lab/recordings/*}, each hop as in its
 * manifest) and every public capture in the repository (sensor and cli test resources).
 *
 * <p>Sensor side: {@link PacketSummarizer#key()}, what {@code SensorPipeline} publishes with.
 * Detection side: the key {@code FlowDetector.onPacket} files the summary under, computed from the
 * {@link PacketSummary} alone — {@link #detectionKey} follows its routing (non-IP skipped; an ICMP
 * error goes to the flow it quotes, the inner tuple when the quoted packet was encapsulated; any
 * other packet to its own flow) and computes the key with the shared {@link FlowKey}. Packets the
 * detection skips (no IP header, ICMP error without a quote) are counted, not compared.
 */
class KeyAgreementTest {
  private static final Path ROOT = Path.of("..");

  record Tally(long packets, long compared, long skipped, List<String> mismatches) {}

  @Test
  void sensorPartitionKeyEqualsDetectionConversationKeyOnEveryReferencePacket() throws IOException {
    TreeMap<String, Tally> perCapture = new TreeMap<>();
    // the lab recordings, hop contexts from their manifests
    try (Stream<Path> dirs = Files.list(ROOT.resolve("deploy/lab/recordings"))) {
      for (Path dir :
          dirs.filter(d -> Files.exists(d.resolve("manifest.json"))).sorted().toList()) {
        JsonNode m = new ObjectMapper().readTree(dir.resolve("manifest.json").toFile());
        for (JsonNode h : m.get("hops")) {
          HopContext ctx =
              new HopContext(
                  h.get("node").asText(),
                  h.hasNonNull("pod") ? h.get("pod").asText() : null,
                  h.get("iface").asText(),
                  InterfaceRole.valueOf(h.get("role").asText()));
          Path file = dir.resolve(h.get("file").asText());
          perCapture.put(ROOT.relativize(file).toString(), check(file, ctx));
        }
      }
    }
    // the public captures copied into the repository
    for (String tree :
        List.of(
            "sensor/src/test/resources/capture",
            "sensor/src/test/resources/conformance",
            "sensor/src/test/resources/decode/captures",
            "cli/src/test/resources/captures")) {
      try (Stream<Path> files = Files.walk(ROOT.resolve(tree))) {
        for (Path f :
            files
                .filter(p -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng"))
                .sorted()
                .toList()) {
          HopContext ctx = new HopContext("capture", null, "any", InterfaceRole.ANY);
          perCapture.put(ROOT.relativize(f).toString(), check(f, ctx));
        }
      }
    }

    long packets = 0;
    long compared = 0;
    long skipped = 0;
    List<String> mismatches = new ArrayList<>();
    StringBuilder report = new StringBuilder();
    for (var e : perCapture.entrySet()) {
      Tally t = e.getValue();
      packets += t.packets();
      compared += t.compared();
      skipped += t.skipped();
      t.mismatches().forEach(x -> mismatches.add(e.getKey() + ": " + x));
      report.append(
          String.format(
              "%-90s packets %6d compared %6d skipped %5d mismatches %d%n",
              e.getKey(), t.packets(), t.compared(), t.skipped(), t.mismatches().size()));
    }
    report.append(
        String.format(
            "TOTAL %d captures: packets %d compared %d skipped %d mismatches %d%n",
            perCapture.size(), packets, compared, skipped, mismatches.size()));
    System.out.print(report);
    Path out = Path.of("target", "key-agreement.txt");
    Files.createDirectories(out.getParent());
    Files.writeString(out, report);

    assertThat(perCapture.keySet()).anyMatch(k -> k.startsWith("deploy/lab/recordings/"));
    assertThat(compared).isGreaterThan(8_000);
    assertThat(mismatches).isEmpty();
  }

  private static Tally check(Path file, HopContext hop) {
    PacketSummarizer summarizer = new PacketSummarizer(DecoderConfig.defaults());
    long[] n = new long[3];
    List<String> mismatches = new ArrayList<>();
    try (CaptureFileReader r = CaptureFileReader.open(file, hop)) {
      r.read(
          (ctx, linkType, buf, off, caplen, wirelen, ts) -> {
            PacketSummary s = summarizer.summarize(ctx, linkType, buf, off, caplen, wirelen, ts);
            n[0]++;
            String detection = detectionKey(s);
            if (detection == null) {
              n[2]++;
              return;
            }
            n[1]++;
            String sensor = summarizer.key();
            if (!detection.equals(sensor) && mismatches.size() < 20) {
              mismatches.add("packet " + n[0] + ": sensor " + sensor + " detection " + detection);
            }
          });
    } catch (CaptureFileException e) {
      // a capture the reader refuses (the fuzz/overflow cases) contributes no packets
    }
    return new Tally(n[0], n[1], n[2], mismatches);
  }

  /** The conversation key {@code FlowDetector.onPacket} computes for a summary; null if skipped. */
  static String detectionKey(PacketSummary p) {
    if (p.getIpVersion() == 0 || p.getSrc() == null || p.getDst() == null || p.getProto() < 0) {
      return null; // skipped.NOT_IP
    }
    IcmpInfo icmp = p.getIcmp();
    if (icmp != null && FlowKey.keyedByQuotedFlow(p.getProto(), icmp.getType())) {
      FiveTuple q = FlowKey.quotedFlow(icmp);
      if (q == null) {
        return null; // skipped.ICMP_WITHOUT_QUOTE
      }
      return FlowKey.key(q.getProto(), q.getSrc(), q.getSport(), q.getDst(), q.getDport());
    }
    return FlowKey.key(p.getProto(), p.getSrc(), p.getSport(), p.getDst(), p.getDport());
  }
}
