package io.hoptrace.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.schema.InterfaceRole;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureFileReaderTest {

  static final HopContext HOP = new HopContext("node1", null, "eth0", InterfaceRole.UPLINK);

  @TempDir Path tmp;

  static Path resource(String name) {
    try {
      return Path.of(CaptureFileReaderTest.class.getResource("/capture/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Recorder readAll(Path file) throws CaptureFileException {
    Recorder r = new Recorder();
    try (CaptureFileReader reader = CaptureFileReader.open(file, HOP)) {
      long n = reader.read(r);
      assertThat(n).isEqualTo(r.packets.size());
    }
    return r;
  }

  private Path write(String name, byte[] bytes) throws IOException {
    Path p = tmp.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  @Test
  void bigEndianMicrosecondPcapGivesNanosecondTimestamps() throws Exception {
    try (CaptureFileReader reader = CaptureFileReader.open(resource("be-usec-pptp.pcap"), HOP)) {
      Recorder r = new Recorder();
      assertThat(reader.read(r)).isEqualTo(23);
      assertThat(reader.format()).isEqualTo(CaptureFileReader.Format.PCAP);
      assertThat(reader.interfaces())
          .containsExactly(new CaptureInterface(LinkType.ETHERNET, 65535, null));
      assertThat(r.packets.get(0).tsNanos()).isEqualTo(954_147_395_148_077_000L);
      assertThat(r.packets.get(0).bytes()).hasSize(62);
      assertThat(r.packets.get(0).hop()).isEqualTo(HOP);
      assertThat(reader.stats().complete()).isTrue();
      assertThat(reader.position()).isEqualTo(reader.sizeBytes());
    }
  }

  @Test
  void nanosecondPcapKeepsNanoseconds() throws Exception {
    Recorder r = readAll(resource("nsec-sll-tcp-handshake.pcap"));
    assertThat(r.packets)
        .extracting(Recorder.Packet::tsNanos)
        .containsExactly(1418145369924505488L, 1418145370052027262L, 1418145370052115157L);
    assertThat(r.packets).allMatch(p -> p.linkType() == LinkType.LINUX_SLL);
  }

  @Test
  void pcapngWithNanosecondResolutionMatchesTheSamePacketsAsPcap() throws Exception {
    assertThat(readAll(resource("derived-nsec.pcapng")).packets)
        .isEqualTo(readAll(resource("nsec-sll-tcp-handshake.pcap")).packets);
  }

  @Test
  void pcapngWithTwoInterfacesGivesEachPacketItsInterfacesLinkType() throws Exception {
    try (CaptureFileReader reader =
        CaptureFileReader.open(resource("derived-two-linktypes.pcapng"), HOP)) {
      Recorder r = new Recorder();
      assertThat(reader.read(r)).isEqualTo(16);
      assertThat(reader.interfaces())
          .extracting(CaptureInterface::linkType)
          .containsExactly(LinkType.ETHERNET, LinkType.LINUX_SLL2);
      assertThat(r.packets.stream().filter(p -> p.linkType() == LinkType.ETHERNET)).hasSize(10);
      assertThat(r.packets.stream().filter(p -> p.linkType() == LinkType.LINUX_SLL2)).hasSize(6);
      assertThat(r.packets.get(9).tsNanos()).isEqualTo(1_368_908_507_885_359_000L);
      assertThat(r.packets.get(10).tsNanos()).isEqualTo(1_660_534_249_872_259_000L);
      assertThat(reader.stats().complete()).isTrue();
    }
  }

  @Test
  void pcapngPacketsMatchTheirPcapOriginals() throws Exception {
    List<Recorder.Packet> merged = readAll(resource("derived-two-linktypes.pcapng")).packets;
    List<Recorder.Packet> originals = new ArrayList<>(readAll(resource("vxlan-8472.pcap")).packets);
    originals.addAll(readAll(resource("sll2.pcap")).packets);
    assertThat(merged).isEqualTo(originals);
  }

  @Test
  void perInterfaceHopsNameEachPcapngInterface() throws Exception {
    byte[] file =
        new PcapngBuilder()
            .section(ByteOrder.LITTLE_ENDIAN)
            .idb(LinkType.ETHERNET, 256, "eth0", -1, null)
            .idb(LinkType.ETHERNET, 256, "flannel.1", -1, null)
            .epb(0, 1, new byte[20], 20)
            .epb(1, 2, new byte[20], 20)
            .build();
    Recorder r = new Recorder();
    try (CaptureFileReader reader =
        CaptureFileReader.open(
            write("named.pcapng", file),
            HOP,
            CaptureFileReader.hopPerInterfaceName(HOP, InterfaceRoles.defaults()))) {
      reader.read(r);
    }
    assertThat(r.packets)
        .extracting(p -> p.hop().id())
        .containsExactly("node1/eth0", "node1/flannel.1");
    assertThat(r.packets.get(1).hop().role()).isEqualTo(InterfaceRole.VTEP);
  }

  @Test
  void fileCutMidRecordDeliversThePacketsBeforeTheCut() throws Exception {
    try (CaptureFileReader reader = CaptureFileReader.open(resource("cut-mid-record.pcap"), HOP)) {
      Recorder r = new Recorder();
      assertThat(reader.read(r)).isEqualTo(9);
      CaptureStats s = reader.stats();
      assertThat(s.truncatedAtEnd()).isTrue();
      assertThat(s.packets()).isEqualTo(9);
      assertThat(s.errorMessage()).contains("truncated").contains("offset");
      assertThat(reader.read(r)).isZero();
    }
    assertThat(readAll(resource("vxlan-8472.pcap")).packets.subList(0, 9))
        .isEqualTo(readAll(resource("cut-mid-record.pcap")).packets);
  }

  @Test
  void fileCutInsideARecordHeaderIsTruncatedToo() throws Exception {
    byte[] whole = Files.readAllBytes(resource("vxlan-8472.pcap"));
    int firstCapLen =
        java.nio.ByteBuffer.wrap(whole, 32, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    byte[] cut = java.util.Arrays.copyOf(whole, 24 + 16 + firstCapLen + 5);
    try (CaptureFileReader reader = CaptureFileReader.open(write("cut.pcap", cut), HOP)) {
      Recorder r = new Recorder();
      reader.read(r);
      assertThat(reader.stats().truncatedAtEnd()).isTrue();
      assertThat(reader.stats().errorMessage()).contains("record header");
    }
  }

  @Test
  void emptyGarbageAndMissingFilesGiveOneLineErrors() throws Exception {
    assertThatThrownBy(() -> CaptureFileReader.open(write("e.pcap", new byte[0]), HOP))
        .isInstanceOf(CaptureFileException.class)
        .hasMessageEndingWith("empty file");
    assertThatThrownBy(
            () -> CaptureFileReader.open(write("g.pcap", "hello, world!\n".getBytes()), HOP))
        .hasMessageContaining("not a pcap or pcapng file (magic 0x68656c6c)");
    assertThatThrownBy(() -> CaptureFileReader.open(tmp.resolve("missing.pcap"), HOP))
        .hasMessageEndingWith("no such file");
    assertThatThrownBy(() -> CaptureFileReader.open(tmp, HOP))
        .hasMessageEndingWith("is a directory");
    byte[] shortHeader = {(byte) 0xd4, (byte) 0xc3, (byte) 0xb2, (byte) 0xa1, 2, 0, 4, 0};
    assertThatThrownBy(() -> CaptureFileReader.open(write("s.pcap", shortHeader), HOP))
        .hasMessageContaining("truncated pcap file header");
  }

  @Test
  void bogusCaptureLengthStopsWithAnErrorAfterTheGoodPackets() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PcapWriter w = new PcapWriter(bytes, LinkType.ETHERNET, false);
    w.write(1_000_000_000L, new byte[60]);
    byte[] good = bytes.toByteArray();
    byte[] bad = java.util.Arrays.copyOf(good, good.length + 16 + 8);
    bad[good.length + 8] = 0x7f; // caplen 0x7f00007f: far above libpcap's 262144 maximum
    bad[good.length + 11] = 0x7f;
    try (CaptureFileReader reader = CaptureFileReader.open(write("bogus.pcap", bad), HOP)) {
      assertThat(reader.read(new Recorder())).isEqualTo(1);
      assertThat(reader.stats().errorMessage()).contains("invalid packet capture length");
      assertThat(reader.stats().truncatedAtEnd()).isFalse();
    }
  }

  @Test
  void recordLongerThanTheSnaplenIsCutToTheSnaplen() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PcapWriter w = new PcapWriter(bytes, LinkType.RAW, true, 64);
    w.write(5, new byte[100], 0, 100, 1500);
    w.write(6, new byte[10], 0, 10, 10);
    Recorder r = readAll(write("snap.pcap", bytes.toByteArray()));
    assertThat(r.packets).extracting(p -> p.bytes().length).containsExactly(64, 10);
    assertThat(r.packets).extracting(Recorder.Packet::wireLen).containsExactly(1500, 10);
    assertThat(r.packets).extracting(Recorder.Packet::tsNanos).containsExactly(5L, 6L);
  }

  @Test
  void pcapngSectionsInBothByteOrdersWithTheirOwnInterfaces() throws Exception {
    byte[] pkt = {1, 2, 3, 4, 5, 6, 7};
    byte[] file =
        new PcapngBuilder()
            .section(ByteOrder.BIG_ENDIAN)
            .idb(LinkType.ETHERNET, 0, "a", 9, null) // ns
            .epb(0, 1_500_000_000_123_456_789L, pkt, 99)
            .section(ByteOrder.LITTLE_ENDIAN)
            .idb(LinkType.RAW, 128, null, 0x80 | 20, 100L) // 2^-20 s units, +100 s
            .idb(12, 128, "raw12", 3, null) // ms units; DLT 12 normalised to RAW
            .epb(0, (7L << 20) | (1L << 19), pkt, 7) // 7.5 s
            .epb(1, 42, pkt, 7) // 42 ms
            .build();
    Recorder r = new Recorder();
    try (CaptureFileReader reader = CaptureFileReader.open(write("sections.pcapng", file), HOP)) {
      assertThat(reader.read(r)).isEqualTo(3);
      assertThat(reader.interfaces())
          .containsExactly(
              new CaptureInterface(LinkType.ETHERNET, 0, "a"),
              new CaptureInterface(LinkType.RAW, 128, null),
              new CaptureInterface(LinkType.RAW, 128, "raw12"));
    }
    assertThat(r.packets)
        .extracting(Recorder.Packet::tsNanos)
        .containsExactly(1_500_000_000_123_456_789L, 107_500_000_000L, 42_000_000L);
    assertThat(r.packets)
        .extracting(Recorder.Packet::linkType)
        .containsExactly(LinkType.ETHERNET, LinkType.RAW, LinkType.RAW);
    assertThat(r.packets.get(0).bytes()).isEqualTo(pkt);
    assertThat(r.packets.get(0).wireLen()).isEqualTo(99);
  }

  @Test
  void simpleAndObsoletePacketBlocksAreRead() throws Exception {
    byte[] pkt = new byte[30];
    new Random(1).nextBytes(pkt);
    byte[] file =
        new PcapngBuilder()
            .section(ByteOrder.LITTLE_ENDIAN)
            .idb(LinkType.ETHERNET, 16, null, -1, null)
            .spb(java.util.Arrays.copyOf(pkt, 16), 30) // SPB: captured = min(wire, snaplen, room)
            .opb(0, 2_000_001, pkt, 30) // µs by default
            .build();
    Recorder r = readAll(write("spb.pcapng", file));
    assertThat(r.packets).hasSize(2);
    assertThat(r.packets.get(0).bytes()).isEqualTo(java.util.Arrays.copyOf(pkt, 16));
    assertThat(r.packets.get(0).wireLen()).isEqualTo(30);
    assertThat(r.packets.get(1).bytes()).isEqualTo(pkt);
    assertThat(r.packets.get(1).tsNanos()).isEqualTo(2_000_001_000L);
  }

  @Test
  void unknownAndUnusedBlocksAreSkippedAndCounted() throws Exception {
    byte[] file =
        new PcapngBuilder()
            .section(ByteOrder.LITTLE_ENDIAN)
            .raw(4, 8) // NRB
            .idb(LinkType.ETHERNET, 0, null, -1, null)
            .raw(0x12345678, 20) // unknown
            .epb(3, 1, new byte[4], 4) // interface 3 does not exist
            .epb(0, 1, new byte[4], 4)
            .raw(5, 12) // ISB
            .build();
    try (CaptureFileReader reader = CaptureFileReader.open(write("skip.pcapng", file), HOP)) {
      assertThat(reader.read(new Recorder())).isEqualTo(1);
      CaptureStats s = reader.stats();
      assertThat(s.skipped())
          .containsEntry(SkipReason.NAME_RESOLUTION, 1L)
          .containsEntry(SkipReason.UNKNOWN_BLOCK_TYPE, 1L)
          .containsEntry(SkipReason.UNKNOWN_INTERFACE, 1L)
          .containsEntry(SkipReason.INTERFACE_STATISTICS, 1L);
      assertThat(s.skippedTotal()).isEqualTo(4);
      assertThat(s.complete()).isTrue();
    }
  }

  @Test
  void brokenBlockLengthStopsWithAClearErrorKeepingEarlierPackets() throws Exception {
    PcapngBuilder b =
        new PcapngBuilder()
            .section(ByteOrder.LITTLE_ENDIAN)
            .idb(LinkType.ETHERNET, 0, null, -1, null)
            .epb(0, 1, new byte[8], 8);
    byte[] good = b.build();
    byte[] file = b.epb(0, 2, new byte[8], 8).epb(0, 3, new byte[8], 8).build();
    file[good.length + 4] = 13; // EPB length 13: not a multiple of 4
    try (CaptureFileReader reader = CaptureFileReader.open(write("broken.pcapng", file), HOP)) {
      assertThat(reader.read(new Recorder())).isEqualTo(1);
      assertThat(reader.stats().errorMessage()).contains("broken pcapng block length 13");
      assertThat(reader.stats().truncatedAtEnd()).isFalse();
    }
    file[good.length + 4] = 44; // plausible, but the trailing copy disagrees
    try (CaptureFileReader reader = CaptureFileReader.open(write("broken2.pcapng", file), HOP)) {
      assertThat(reader.read(new Recorder())).isEqualTo(1);
      assertThat(reader.stats().errorMessage()).contains("trailing length");
    }
  }

  @Test
  void pcapngCutMidBlockIsTruncated() throws Exception {
    byte[] file =
        new PcapngBuilder()
            .section(ByteOrder.BIG_ENDIAN)
            .idb(LinkType.ETHERNET, 0, null, -1, null)
            .epb(0, 1, new byte[8], 8)
            .epb(0, 2, new byte[100], 100)
            .build();
    Path p = write("cut.pcapng", java.util.Arrays.copyOf(file, file.length - 30));
    try (CaptureFileReader reader = CaptureFileReader.open(p, HOP)) {
      assertThat(reader.read(new Recorder())).isEqualTo(1);
      assertThat(reader.stats().truncatedAtEnd()).isTrue();
    }
  }

  @Test
  void brokenFirstSectionHeaderIsRefusedAtOpen() throws Exception {
    byte[] file = new PcapngBuilder().section(ByteOrder.LITTLE_ENDIAN).build();
    file[8] = 0;
    assertThatThrownBy(() -> CaptureFileReader.open(write("bom.pcapng", file), HOP))
        .isInstanceOf(CaptureFileException.class)
        .hasMessageContaining("byte-order magic");
  }

  @Test
  void smallMapWindowSlidesOverTheFileAndGivesTheSamePackets() throws Exception {
    Random rnd = new Random(7);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PcapWriter w = new PcapWriter(bytes, LinkType.ETHERNET, true);
    for (int i = 0; i < 3000; i++) {
      byte[] pkt = new byte[14 + rnd.nextInt(1500)];
      rnd.nextBytes(pkt);
      w.write(1_700_000_000_000_000_000L + i * 1_001L, pkt);
    }
    Path p = write("many.pcap", bytes.toByteArray());
    Recorder whole = readAll(p);
    Recorder windowed = new Recorder();
    try (CaptureFileReader reader = CaptureFileReader.open(p, HOP, i -> HOP, 4096)) {
      long n = 0;
      long chunk;
      while ((chunk = reader.read(windowed, 777)) > 0) {
        assertThat(chunk).isLessThanOrEqualTo(777);
        n += chunk;
      }
      assertThat(n).isEqualTo(3000);
      assertThat(reader.stats().complete()).isTrue();
      assertThat(reader.stats().bytes()).isEqualTo(bytes.size() - 24 - 16 * 3000L);
    }
    assertThat(windowed.packets).hasSize(3000).isEqualTo(whole.packets);
  }

  @Test
  void smallMapWindowWorksForPcapngToo() throws Exception {
    PcapngBuilder b = new PcapngBuilder().section(ByteOrder.LITTLE_ENDIAN);
    b.idb(LinkType.ETHERNET, 0, "x", 9, null);
    Random rnd = new Random(3);
    for (int i = 0; i < 500; i++) {
      byte[] pkt = new byte[rnd.nextInt(1200)];
      rnd.nextBytes(pkt);
      b.epb(0, i, pkt, pkt.length);
    }
    Path p = write("many.pcapng", b.build());
    Recorder windowed = new Recorder();
    try (CaptureFileReader reader = CaptureFileReader.open(p, HOP, i -> HOP, 4096)) {
      reader.read(windowed);
    }
    assertThat(windowed.packets).hasSize(500).isEqualTo(readAll(p).packets);
  }

  @Test
  void truncatedCapturesFromTheSuitesReadWithoutErrors() throws Exception {
    assertThat(readAll(resource("geneve-truncated.pcapng")).packets).hasSize(1);
    assertThat(readAll(resource("icmp-cksum-oobr-3.pcapng")).packets).hasSize(1);
    assertThat(readAll(resource("retransmit-timeout.pcapng")).packets).hasSize(3);
    assertThat(readAll(resource("ipv4-truncated.pcap")).packets).hasSize(1);
    assertThat(readAll(resource("raw-ipv4.pcap")).packets)
        .singleElement()
        .extracting(Recorder.Packet::linkType)
        .isEqualTo(LinkType.RAW);
  }

  @Test
  void readingAfterCloseIsRefused() throws Exception {
    CaptureFileReader reader = CaptureFileReader.open(resource("sll2.pcap"), HOP);
    reader.close();
    reader.close();
    assertThatThrownBy(() -> reader.read(new Recorder())).isInstanceOf(IllegalStateException.class);
  }

  // ------------------------------------------------------------------ corrupt pcapng (issue 17)

  /** Sets the little-endian int at {@code at}. */
  private static void putIntLe(byte[] b, int at, int v) {
    java.nio.ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at, v);
  }

  @Test
  void blockLengthWhoseEndOverflowsAnIntStopsWithANamedErrorNotAnException() throws Exception {
    PcapngBuilder b =
        new PcapngBuilder()
            .section(ByteOrder.LITTLE_ENDIAN)
            .idb(LinkType.ETHERNET, 0, null, -1, null)
            .epb(0, 1, new byte[8], 8);
    byte[] good = b.build();
    byte[] file = b.epb(0, 2, new byte[8], 8).build();
    // offset + length > Integer.MAX_VALUE: a length a multiple of 4, >= 12, 0x7FFFFFF0
    putIntLe(file, good.length + 4, 0x7FFFFFF0);
    assertThat((long) good.length + 0x7FFFFFF0).isGreaterThan(Integer.MAX_VALUE);
    try (CaptureFileReader reader = CaptureFileReader.open(write("overflow.pcapng", file), HOP)) {
      assertThat(reader.read(new Recorder())).isEqualTo(1);
      CaptureStats s = reader.stats();
      assertThat(s.errorMessage())
          .contains("broken pcapng block length 2147483632")
          .contains("at offset " + good.length)
          .contains("past the end of the file");
      assertThat(s.truncatedAtEnd()).isFalse();
      assertThat(s.describe()).contains("1 packet read");
    }
  }

  @Test
  void overflowingBlockLengthWithASmallMapWindowStopsCleanlyToo() throws Exception {
    PcapngBuilder b = new PcapngBuilder().section(ByteOrder.LITTLE_ENDIAN);
    b.idb(LinkType.ETHERNET, 0, null, -1, null);
    for (int i = 0; i < 300; i++) {
      b.epb(0, i, new byte[60], 60);
    }
    byte[] good = b.build();
    byte[] file = b.epb(0, 999, new byte[8], 8).build();
    putIntLe(file, good.length + 4, 0x7FFFFFFC);
    try (CaptureFileReader reader =
        CaptureFileReader.open(write("overflow-window.pcapng", file), HOP, i -> HOP, 4096)) {
      assertThat(reader.read(new Recorder())).isEqualTo(300);
      assertThat(reader.stats().errorMessage()).contains("broken pcapng block length");
    }
  }

  @Test
  void packetBlocksWithAnUnknownInterfaceOrAHugeCaplenAreCountedByReasonAndReadingGoesOn()
      throws Exception {
    PcapngBuilder b =
        new PcapngBuilder()
            .section(ByteOrder.LITTLE_ENDIAN)
            .idb(LinkType.ETHERNET, 0, null, -1, null)
            .epb(0, 1, new byte[8], 8);
    int unknownIfc = b.build().length;
    b.epb(0, 2, new byte[8], 8);
    int hugeCaplen = b.build().length;
    b.epb(0, 3, new byte[8], 8);
    int negativeCaplen = b.build().length;
    byte[] file = b.epb(0, 4, new byte[8], 8).epb(0, 5, new byte[8], 8).build();
    putIntLe(file, unknownIfc + 8, 0xFFFFFFF0); // interface id 4294967280
    putIntLe(file, hugeCaplen + 20, 0x7FFFFFF0); // caplen far beyond the block
    putIntLe(file, negativeCaplen + 20, 0x80000000); // caplen 2^31: negative as an int
    Recorder r = new Recorder();
    try (CaptureFileReader reader = CaptureFileReader.open(write("corrupt.pcapng", file), HOP)) {
      assertThat(reader.read(r)).isEqualTo(2);
      CaptureStats s = reader.stats();
      assertThat(s.complete()).isTrue();
      assertThat(s.skipped())
          .containsEntry(SkipReason.UNKNOWN_INTERFACE, 1L)
          .containsEntry(SkipReason.BAD_PACKET_LENGTH, 2L);
      assertThat(s.lostPackets()).isEqualTo(3);
      assertThat(s.hasProblems()).isTrue();
      assertThat(s.describe())
          .isEqualTo(
              "2 packets read; corrupt packet blocks dropped: 1 unknown interface,"
                  + " 2 bad packet length");
    }
    assertThat(r.packets).extracting(Recorder.Packet::tsNanos).containsExactly(1_000L, 5_000L);
  }

  @Test
  void blocksWithoutPacketsAreNoProblemToReport() throws Exception {
    byte[] file =
        new PcapngBuilder()
            .section(ByteOrder.LITTLE_ENDIAN)
            .raw(4, 8) // NRB
            .idb(LinkType.ETHERNET, 0, null, -1, null)
            .epb(0, 1, new byte[4], 4)
            .raw(5, 12) // ISB
            .build();
    try (CaptureFileReader reader = CaptureFileReader.open(write("fine.pcapng", file), HOP)) {
      reader.read(new Recorder());
      assertThat(reader.stats().skippedTotal()).isEqualTo(2);
      assertThat(reader.stats().hasProblems()).isFalse();
    }
  }

  @Test
  void gzipCompressedCaptureIsDecompressedAndReadLikeThePlainOne() throws Exception {
    Path plain = resource("nsec-sll-tcp-handshake.pcap");
    Path gz = tmp.resolve("icmp.pcap.gz");
    try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(Files.readAllBytes(plain));
    }
    Recorder expected = readAll(plain);
    assertThat(expected.packets).isNotEmpty();
    try (CaptureFileReader reader = CaptureFileReader.open(gz, HOP)) {
      Recorder r = new Recorder();
      reader.read(r);
      assertThat(r.packets).containsExactlyElementsOf(expected.packets);
    }
    byte[] cut = Arrays.copyOf(Files.readAllBytes(gz), 20);
    Path broken = write("cut.pcap.gz", cut);
    assertThatThrownBy(() -> CaptureFileReader.open(broken, HOP))
        .isInstanceOf(CaptureFileException.class)
        .hasMessageContaining(broken + ": gzip-compressed but cannot be decompressed");
  }
}
