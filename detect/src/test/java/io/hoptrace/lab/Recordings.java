package io.hoptrace.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hoptrace.capture.CaptureFileReader;
import io.hoptrace.capture.HopContext;
import io.hoptrace.decode.DecodedPacket;
import io.hoptrace.decode.DecoderConfig;
import io.hoptrace.decode.PacketDecoder;
import io.hoptrace.decode.SummaryMapper;
import io.hoptrace.schema.FdbEntry;
import io.hoptrace.schema.InterfaceInfo;
import io.hoptrace.schema.InterfaceRole;
import io.hoptrace.schema.NodeInventory;
import io.hoptrace.schema.PacketSummary;
import io.hoptrace.schema.VtepInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A bundled lab recording (deploy/lab/recordings/NAME: one capture per hop, manifest.json), read as
 * the sensors would publish it: each hop's summaries in capture order, and the nodes' inventory
 * from the manifest.
 */
public record Recordings(List<NodeInventory> nodes, List<List<PacketSummary>> hops) {

  public static Path dir(String scenario) {
    return Path.of("..", "deploy", "lab", "recordings", scenario);
  }

  /** Reads the recording of one scenario. */
  public static Recordings read(String scenario) {
    try {
      return read(dir(scenario));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Recordings read(Path dir) throws IOException {
    JsonNode m = new ObjectMapper().readTree(dir.resolve("manifest.json").toFile());
    List<List<PacketSummary>> hops = new ArrayList<>();
    List<HopContext> contexts = new ArrayList<>();
    for (JsonNode h : m.get("hops")) {
      HopContext ctx =
          new HopContext(
              h.get("node").asText(),
              h.hasNonNull("pod") ? h.get("pod").asText() : null,
              h.get("iface").asText(),
              InterfaceRole.valueOf(h.get("role").asText()));
      contexts.add(ctx);
      hops.add(readHop(dir.resolve(h.get("file").asText()), ctx));
    }
    List<NodeInventory> nodes = new ArrayList<>();
    for (JsonNode n : m.get("nodes")) {
      String name = n.get("name").asText();
      List<InterfaceInfo> ifaces = new ArrayList<>();
      for (HopContext c : contexts) {
        if (c.node().equals(name)) {
          ifaces.add(
              InterfaceInfo.newBuilder()
                  .setName(c.iface())
                  .setRole(c.role())
                  .setPod(c.pod())
                  .build());
        }
      }
      List<VtepInfo> vteps = new ArrayList<>();
      for (JsonNode v : n.get("vteps")) {
        List<FdbEntry> fdb = new ArrayList<>();
        for (JsonNode f : v.get("fdb")) {
          fdb.add(
              FdbEntry.newBuilder()
                  .setMac(f.get("mac").asText())
                  .setDst(f.get("dst").asText())
                  .build());
        }
        vteps.add(
            VtepInfo.newBuilder()
                .setDevice(v.get("device").asText())
                .setVni(v.get("vni").asInt())
                .setLocal(v.get("local").asText())
                .setPort(v.get("port").asInt())
                .setFdb(fdb)
                .build());
      }
      List<String> addresses = new ArrayList<>();
      n.get("addresses").forEach(a -> addresses.add(a.asText()));
      nodes.add(
          NodeInventory.newBuilder()
              .setNode(name)
              .setTsNanos(1)
              .setAddresses(addresses)
              .setPodCidr(n.get("podCidr").asText())
              .setInterfaces(ifaces)
              .setVteps(vteps)
              .build());
    }
    return new Recordings(nodes, hops);
  }

  private static List<PacketSummary> readHop(Path file, HopContext hop) throws IOException {
    List<PacketSummary> out = new ArrayList<>();
    PacketDecoder decoder = new PacketDecoder(DecoderConfig.defaults());
    DecodedPacket packet = new DecodedPacket();
    try (CaptureFileReader r = CaptureFileReader.open(file, hop)) {
      r.read(
          (ctx, linkType, buf, off, caplen, wirelen, ts) -> {
            decoder.decode(linkType, buf, off, caplen, wirelen, packet);
            out.add(SummaryMapper.toAvro(ctx, ts, caplen, wirelen, packet));
          });
    } catch (io.hoptrace.capture.CaptureFileException e) {
      throw new IOException(e);
    }
    return out;
  }

  /** Every hop's summaries in capture-time order. */
  public List<PacketSummary> inTimeOrder() {
    List<PacketSummary> out = new ArrayList<>();
    hops.forEach(out::addAll);
    out.sort(Comparator.comparingLong(PacketSummary::getTsNanos));
    return out;
  }

  /** Replays the recording in time order through the plain core, to the end of input. */
  public CoreHarness replay() {
    return replay(new CoreHarness());
  }

  /** Replays the recording in time order through a harness, to the end of input. */
  public <H extends Harness> H replay(H h) {
    h.nodes(nodes);
    h.send(inTimeOrder());
    h.finish();
    return h;
  }
}
