package io.hoptrace.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MixedCaptureGeneratorTest {
  private static final int COUNT = 10_000;
  private static final Pattern PACKET_LINE = Pattern.compile("^\\d{2}:\\d{2}:\\d{2}\\.\\d+ ");

  @TempDir static Path dir;
  private static Path pcap;

  @BeforeAll
  static void generate() throws IOException {
    pcap = dir.resolve("mix.pcap");
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(pcap))) {
      new MixedCaptureGenerator(7).writePcap(out, COUNT);
    }
  }

  @Test
  void sameSeedGivesTheSameBytes() throws IOException {
    assertThat(bytes(7, 3_000)).isEqualTo(bytes(7, 3_000));
    assertThat(bytes(8, 3_000)).isNotEqualTo(bytes(7, 3_000));
  }

  @Test
  void writesANanosecondEthernetPcapWithFullFramesAndRisingTimestamps() throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(pcap)).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(b.getInt(0)).isEqualTo(0xA1B23C4D);
    assertThat(b.getInt(20)).isEqualTo(1);
    int pos = 24;
    int packets = 0;
    long bytes = 0;
    long lastTs = 0;
    while (pos < b.limit()) {
      long ts = b.getInt(pos) * 1_000_000_000L + b.getInt(pos + 4);
      int incl = b.getInt(pos + 8);
      assertThat(b.getInt(pos + 12)).isEqualTo(incl);
      assertThat(incl).isBetween(60, 1514 + 8); // one MTU, at most two VLAN tags
      assertThat(ts).isGreaterThan(lastTs);
      lastTs = ts;
      bytes += incl;
      packets++;
      pos += 16 + incl;
    }
    assertThat(pos).isEqualTo(b.limit());
    assertThat(packets).isEqualTo(COUNT);
    assertThat(bytes / packets).isBetween(550L, 900L);
  }

  @Test
  void tcpdumpReadsEveryPacketWithoutComplaint() throws Exception {
    List<String> out = tcpdump();
    assertThat(out.stream().filter(l -> PACKET_LINE.matcher(l).find()).count()).isEqualTo(COUNT);
    assertThat(out).noneMatch(l -> l.contains("truncated") || l.contains("[|"));
  }

  @Test
  void aFifthIsVxlanOnFlannelsPort() throws Exception {
    long vxlan =
        tcpdump("udp port 8472").stream().filter(l -> PACKET_LINE.matcher(l).find()).count();
    assertThat(vxlan).isBetween(COUNT * 18L / 100, COUNT * 22L / 100);
  }

  @Test
  void theMixHasEveryKind() throws Exception {
    for (String filter :
        List.of(
            "udp port 6081",
            "ip proto 4",
            "ip proto 41",
            "ip proto 47",
            "ip6",
            "vlan",
            "icmp[0] = 3",
            "udp port 53",
            "tcp[13] & 2 != 0")) {
      assertThat(tcpdump(filter)).as(filter).anyMatch(l -> PACKET_LINE.matcher(l).find());
    }
  }

  private static byte[] bytes(long seed, int count) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new MixedCaptureGenerator(seed).writePcap(out, count);
    return out.toByteArray();
  }

  /** stdout and stderr of {@code tcpdump -nn -r pcap [filter]}. */
  private static List<String> tcpdump(String... filter) throws Exception {
    String exe =
        Files.isExecutable(Path.of("/usr/sbin/tcpdump"))
            ? "/usr/sbin/tcpdump"
            : Files.isExecutable(Path.of("/usr/bin/tcpdump")) ? "/usr/bin/tcpdump" : null;
    assumeTrue(exe != null, "tcpdump is not installed (apt-get install tcpdump)");
    List<String> cmd = new java.util.ArrayList<>(List.of(exe, "-nn", "-r", pcap.toString()));
    cmd.addAll(List.of(filter));
    Path output = dir.resolve("tcpdump-" + System.nanoTime() + ".txt");
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    List<String> lines = Files.readAllLines(output, StandardCharsets.ISO_8859_1);
    assertThat(p.exitValue())
        .as(String.join("\n", lines.subList(0, Math.min(5, lines.size()))))
        .isZero();
    return lines;
  }
}
