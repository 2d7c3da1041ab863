package io.hoptrace.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;

/**
 * Reads every capture with our reader and with libpcap (through pcap4j, nanosecond precision) and
 * compares packet by packet: timestamp, bytes, wire length, link type. Where libpcap stops early
 * (truncated or, for pcapng, mixed link types), the packets it did deliver must match ours. Besides
 * this module's captures, the public reference captures under the conformance resources.
 */
class CaptureFileReaderMatchesLibpcapTest {

  /**
   * The public reference captures (tcpdump, Zeek, Suricata, Arkime suites, copied into this
   * module's test resources with their licences); -Dhoptrace.shared.captures=DIR for another set.
   */
  private static final Path SHARED =
      Path.of(System.getProperty("hoptrace.shared.captures", "src/test/resources/conformance"));

  record Seen(int linkType, byte[] bytes, int wireLen, long tsNanos) {
    boolean same(Recorder.Packet p) {
      return p.linkType() == linkType
          && java.util.Arrays.equals(p.bytes(), bytes)
          && p.wireLen() == wireLen
          && p.tsNanos() == tsNanos;
    }
  }

  static boolean libpcapAvailable() {
    try {
      Pcaps.libVersion();
      return true;
    } catch (Throwable t) {
      return false;
    }
  }

  @TestFactory
  Stream<DynamicTest> everyCaptureReadsLikeLibpcap() throws IOException {
    assumeTrue(libpcapAvailable(), "libpcap (libpcap0.8) is not installed");
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.list(CaptureFileReaderTest.resource("sll2.pcap").getParent())) {
      s.filter(p -> p.toString().matches(".*\\.pcap(ng)?$")).sorted().forEach(files::add);
    }
    if (Files.isDirectory(SHARED)) {
      try (Stream<Path> s = Files.walk(SHARED)) {
        s.filter(p -> p.toString().matches(".*\\.(pcap|pcapng|cap)$")).sorted().forEach(files::add);
      }
    }
    return files.stream()
        .map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> compare(f)));
  }

  private static void compare(Path file) throws Exception {
    List<Seen> libpcap = new ArrayList<>();
    boolean libpcapFailed = false;
    try (PcapHandle h = Pcaps.openOffline(file.toString(), PcapHandle.TimestampPrecision.NANO)) {
      int lt = LinkType.normalize(h.getDlt().value());
      try {
        h.loop(
            -1,
            (byte[] pkt) -> {
              java.sql.Timestamp ts = h.getTimestamp();
              long ns = Math.floorDiv(ts.getTime(), 1000L) * 1_000_000_000L + ts.getNanos();
              libpcap.add(new Seen(lt, pkt, h.getOriginalLength(), ns));
            });
      } catch (PcapNativeException e) {
        libpcapFailed = true;
      }
    } catch (PcapNativeException e) {
      libpcapFailed = true;
    }
    Recorder ours = new Recorder();
    try (CaptureFileReader r = CaptureFileReader.open(file, CaptureFileReaderTest.HOP)) {
      r.read(ours);
      if (!libpcapFailed) {
        assertThat(r.stats().complete()).as("our reader completes where libpcap does").isTrue();
        assertThat(ours.packets).hasSameSizeAs(libpcap);
      } else {
        assertThat(ours.packets.size()).isGreaterThanOrEqualTo(libpcap.size());
      }
    } catch (CaptureFileException e) {
      assertThat(libpcap).as("libpcap read a file we refused: " + e.getMessage()).isEmpty();
      return;
    }
    for (int i = 0; i < libpcap.size(); i++) {
      Seen s = libpcap.get(i);
      Recorder.Packet p = ours.packets.get(i);
      assertThat(s.same(p))
          .as(
              "packet %d: libpcap lt=%d cap=%d wire=%d ts=%d, ours %s",
              i, s.linkType(), s.bytes().length, s.wireLen(), s.tsNanos(), p)
          .isTrue();
    }
  }
}
