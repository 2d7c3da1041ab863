package io.hoptrace.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.capture.CaptureFileException;
import io.hoptrace.capture.CaptureFileReader;
import io.hoptrace.capture.HopContext;
import io.hoptrace.decode.DecodedPacket;
import io.hoptrace.decode.DecoderConfig;
import io.hoptrace.decode.PacketDecoder;
import io.hoptrace.decode.SummaryMapper;
import io.hoptrace.schema.EncapLayer;
import io.hoptrace.schema.EncapType;
import io.hoptrace.schema.FiveTuple;
import io.hoptrace.schema.InterfaceRole;
import io.hoptrace.schema.PacketSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Decodes every public capture under {@code src/test/resources/conformance} (tcpdump, Zeek,
 * Suricata-verify and Arkime test suites) and compares, packet by packet, what we decode with what
 * tshark (the peer) dissected: innermost addresses, protocol and ports, TCP flags, ICMP type/code,
 * the 5-tuple quoted in ICMP errors, outer VLAN ids and VXLAN/Geneve VNIs. The disagreements go to
 * {@code target/conformance-report.txt}; at least 99 % of packets must agree.
 */
class DecoderConformanceTest {

  private static final Path ROOT = Path.of("src/test/resources/conformance");
  private static final Path REPORT = Path.of("target/conformance-report.txt");

  @Test
  void decoderAgreesWithTsharkOnAtLeast99PercentOfPublicCapturePackets() throws IOException {
    List<Path> expectations;
    try (Stream<Path> s = Files.list(ROOT.resolve("expected"))) {
      expectations = s.filter(p -> p.toString().endsWith(".tsv")).sorted().toList();
    }
    assertThat(expectations).hasSizeGreaterThan(150);

    long total = 0;
    long agreed = 0;
    TreeMap<String, Long> byField = new TreeMap<>();
    List<String> perFile = new ArrayList<>();
    List<String> disagreements = new ArrayList<>();
    for (Path tsv : expectations) {
      String name = tsv.getFileName().toString();
      Path capture = ROOT.resolve(name.substring(0, name.length() - 4).replace("__", "/"));
      List<TsharkExpectation> expected = TsharkExpectation.read(tsv);
      List<PacketSummary> actual = decode(capture);
      long fileAgreed = 0;
      for (TsharkExpectation e : expected) {
        PacketSummary a = e.frame <= actual.size() ? actual.get(e.frame - 1) : null;
        List<String> diffs = compare(e, a);
        if (diffs.isEmpty()) {
          fileAgreed++;
        } else {
          for (String d : diffs) {
            byField.merge(d.substring(0, d.indexOf(':')), 1L, Long::sum);
          }
          disagreements.add(
              capture
                  + " frame "
                  + e.frame
                  + " ["
                  + e.protocols
                  + "]: "
                  + String.join("; ", diffs));
        }
      }
      total += expected.size();
      agreed += fileAgreed;
      perFile.add(String.format("%5d/%-5d %s", fileAgreed, expected.size(), capture));
    }

    double pct = total == 0 ? 0 : 100.0 * agreed / total;
    List<String> report = new ArrayList<>();
    report.add(
        String.format(
            "hoptrace decoder vs tshark 4.0.17: %d of %d packets agree (%.2f %%) in %d captures",
            agreed, total, pct, expectations.size()));
    report.add("disagreements by field: " + byField);
    report.add("");
    report.add("== disagreements");
    report.addAll(disagreements);
    report.add("");
    report.add("== per capture (agree/total)");
    report.addAll(perFile);
    Files.createDirectories(REPORT.getParent());
    Files.write(REPORT, report);
    System.out.println(report.get(0) + " -> " + REPORT.toAbsolutePath());

    assertThat(pct)
        .as("agreement with tshark, see %s", REPORT.toAbsolutePath())
        .isGreaterThanOrEqualTo(99.0);
  }

  private static List<PacketSummary> decode(Path capture) {
    List<PacketSummary> out = new ArrayList<>();
    PacketDecoder decoder = new PacketDecoder(DecoderConfig.defaults());
    DecodedPacket packet = new DecodedPacket();
    HopContext hop = new HopContext("conformance", null, "file", InterfaceRole.ANY);
    try (CaptureFileReader reader = CaptureFileReader.open(capture, hop)) {
      reader.read(
          (h, linkType, buffer, offset, capLen, wireLen, ts) -> {
            decoder.decode(linkType, buffer, offset, capLen, wireLen, packet);
            out.add(SummaryMapper.toAvro(h, ts, capLen, wireLen, packet));
          });
    } catch (CaptureFileException e) {
      // counted below: every expected frame of an unreadable file disagrees
    }
    return out;
  }

  /**
   * tshark reports an IPv6 packet's first next-header; we report the upper-layer protocol after the
   * extension-header chain (hop-by-hop 0, routing 43, fragment 44, destination options 60).
   */
  private static boolean isIpv6ExtensionHeader(int proto) {
    return proto == 0 || proto == 43 || proto == 44 || proto == 60;
  }

  static List<String> compare(TsharkExpectation e, PacketSummary a) {
    List<String> d = new ArrayList<>();
    if (a == null) {
      d.add("frame: not delivered by our reader");
      return d;
    }
    List<Integer> vlans = a.getVlans();
    if (!e.outerVlans.equals(vlans.subList(0, Math.min(vlans.size(), e.outerVlans.size())))
        || vlans.size() < e.outerVlans.size()) {
      d.add("vlan: expected " + e.outerVlans + " got " + vlans);
    }
    List<Long> vnis = new ArrayList<>();
    for (EncapLayer l : a.getEncap()) {
      if (l.getType() == EncapType.VXLAN || l.getType() == EncapType.GENEVE) {
        vnis.add(l.getVni());
      }
    }
    if (!e.vnis.equals(vnis)) {
      d.add("vni: expected " + e.vnis + " got " + vnis);
    }
    TsharkExpectation.IpLayer x = e.innermost;
    if (x == null) {
      if (a.getIpVersion() != 0) {
        d.add("ip: expected no IP packet, got " + a.getSrc() + " > " + a.getDst());
      }
      return d;
    }
    if (!Objects.equals(x.src, a.getSrc()) || !Objects.equals(x.dst, a.getDst())) {
      d.add("addr: expected " + x.src + " > " + x.dst + " got " + a.getSrc() + " > " + a.getDst());
    }
    if (x.proto >= 0 && !isIpv6ExtensionHeader(x.proto) && x.proto != a.getProto()) {
      d.add("proto: expected " + x.proto + " got " + a.getProto());
    }
    if (x.sport >= 0 && (x.sport != a.getSport() || x.dport != a.getDport())) {
      d.add(
          "ports: expected "
              + x.sport
              + "/"
              + x.dport
              + " got "
              + a.getSport()
              + "/"
              + a.getDport());
    }
    if (x.tcpFlags >= 0) {
      int got = a.getTcp() == null ? -1 : a.getTcp().getFlags();
      if ((x.tcpFlags & 0xFF) != got) {
        d.add("tcpFlags: expected " + (x.tcpFlags & 0xFF) + " got " + got);
      }
    }
    if (x.icmpType >= 0) {
      int t = a.getIcmp() == null ? -1 : a.getIcmp().getType();
      int c = a.getIcmp() == null ? -1 : a.getIcmp().getCode();
      if (t != x.icmpType || c != x.icmpCode) {
        d.add("icmp: expected " + x.icmpType + "/" + x.icmpCode + " got " + t + "/" + c);
      }
    }
    TsharkExpectation.IpLayer q = e.quoted;
    if (q != null) {
      FiveTuple got = a.getIcmp() == null ? null : a.getIcmp().getQuoted();
      if (got == null
          || !Objects.equals(q.src, got.getSrc())
          || !Objects.equals(q.dst, got.getDst())
          || (q.proto >= 0 && !isIpv6ExtensionHeader(q.proto) && q.proto != got.getProto())
          || (q.sport >= 0 && (q.sport != got.getSport() || q.dport != got.getDport()))) {
        d.add("quoted: expected " + q + " got " + got);
      }
    }
    return d;
  }
}
