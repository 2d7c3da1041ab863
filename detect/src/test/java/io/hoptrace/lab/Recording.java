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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A lab recording (deploy/lab/recordings/NAME) decoded as the sensors would publish it: the node
 * inventories of its manifest (interfaces with their MTUs when the manifest has them) and each
 * hop's summaries, in manifest order, each in capture order.
 */
public record Recording(List<NodeInventory> nodes, List<List<PacketSummary>> hops, JsonNode truth) {

  public static Path dir(String scenario) {
    return Path.of("..", "deploy", "lab", "recordings", scenario);
  }

  public static Recording read(String scenario) throws IOException {
    return read(dir(scenario));
  }

  /** Reads the recording in {@code dir} (manifest.json, its captures, truth.json). */
  public static Recording read(Path dir) throws IOException {
    ObjectMapper json = new ObjectMapper();
    JsonNode m = json.readTree(dir.resolve("manifest.json").toFile());
    List<List<PacketSummary>> hops = new ArrayList<>();
    List<HopContext> contexts = new ArrayList<>();
    List<Integer> mtus = new ArrayList<>();
    for (JsonNode h : m.get("hops")) {
      HopContext ctx =
          new HopContext(
              h.get("node").asText(),
              h.hasNonNull("pod") ? h.get("pod").asText() : null,
              h.get("iface").asText(),
              InterfaceRole.valueOf(h.get("role").asText()));
      contexts.add(ctx);
      mtus.add(h.path("mtu").asInt(-1));
      hops.add(read(dir.resolve(h.get("file").asText()), ctx));
    }
    List<NodeInventory> nodes = new ArrayList<>();
    for (JsonNode n : m.get("nodes")) {
      String name = n.get("name").asText();
      List<InterfaceInfo> ifaces = new ArrayList<>();
      for (int i = 0; i < contexts.size(); i++) {
        HopContext c = contexts.get(i);
        if (c.node().equals(name)) {
          ifaces.add(
              InterfaceInfo.newBuilder()
                  .setName(c.iface())
                  .setRole(c.role())
                  .setPod(c.pod())
                  .setMtu(mtus.get(i))
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
              .setPodCidrs(podCidrs(n))
              .setInterfaces(ifaces)
              .setVteps(vteps)
              .build());
    }
    JsonNode truth = json.readTree(dir.resolve("truth.json").toFile());
    return new Recording(nodes, hops, truth);
  }

  private static List<PacketSummary> read(Path file, HopContext hop) throws IOException {
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

  private static List<String> podCidrs(JsonNode node) {
    List<String> out = new ArrayList<>();
    node.path("podCidrs").forEach(c -> out.add(c.asText()));
    return out;
  }
}
