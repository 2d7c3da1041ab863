package io.hoptrace.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.hoptrace.capture.LinkType;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class DecoderRobustnessTest {
  private static final Path CAPTURES = Path.of("src/test/resources/decode/captures");
  private static final int[] LINK_TYPES = {
    LinkType.ETHERNET,
    LinkType.LINUX_SLL,
    LinkType.LINUX_SLL2,
    LinkType.RAW,
    LinkType.IPV4,
    LinkType.IPV6,
    LinkType.NULL,
    LinkType.LOOP
  };

  static List<MiniPcap.Packet> allCapturePackets() throws IOException {
    List<MiniPcap.Packet> all = new ArrayList<>();
    try (Stream<Path> files = Files.walk(CAPTURES)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".pcap")).sorted().toList()) {
        all.addAll(MiniPcap.read(f));
      }
    }
    return all;
  }

  @Test
  void deeplyNestedShimsStopAtTheLayerLimitInsteadOfRecursing() {
    // 64 KiB of nested frames: Ethernet (MPLS 0x8847) + one label (bottom of stack) + a
    // pseudowire control word, repeated; and Ethernet (Cisco MetaData 0x8909) + 8-byte shim
    // announcing Cisco MetaData again, repeated. Unbounded, either would recurse thousands deep.
    byte[] mpls =
        repeat(
            new byte[] {
              0,
              0,
              0,
              0,
              0,
              1,
              0,
              0,
              0,
              0,
              0,
              2,
              (byte) 0x88,
              0x47, // Ethernet, type MPLS unicast
              0,
              0,
              0x11,
              0x40, // label 0, S=1, TTL 64
              0,
              0,
              0,
              0 // pseudowire control word: Ethernet follows
            },
            65536);
    byte[] cmd = new byte[65536];
    System.arraycopy(
        new byte[] {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2, (byte) 0x89, 0x09}, 0, cmd, 0, 14);
    for (int off = 14; off + 8 <= cmd.length; off += 8) {
      // version 1, length 1, option 0x0001, SGT 0, next ethertype 0x8909 (another shim)
      System.arraycopy(new byte[] {1, 1, 0, 1, 0, 0, (byte) 0x89, 0x09}, 0, cmd, off, 8);
    }
    PacketDecoder d = new PacketDecoder();
    DecodedPacket p = new DecodedPacket();
    for (byte[] frame : List.of(mpls, cmd)) {
      DecodeStatus s =
          d.decode(LinkType.ETHERNET, new UnsafeBuffer(frame), 0, frame.length, frame.length, p);
      assertThat(s).isEqualTo(DecodeStatus.TOO_MANY_LAYERS);
    }
  }

  private static byte[] repeat(byte[] unit, int length) {
    byte[] out = new byte[length];
    for (int i = 0; i < length; i++) {
      out[i] = unit[i % unit.length];
    }
    return out;
  }

  @Test
  void everyTruncationOfEveryCapturedPacketDecodesWithoutThrowing() throws IOException {
    PacketDecoder d = new PacketDecoder();
    DecodedPacket p = new DecodedPacket();
    List<MiniPcap.Packet> packets = allCapturePackets();
    assertThat(packets).hasSizeGreaterThan(300);
    long decoded = 0;
    for (MiniPcap.Packet pk : packets) {
      int max = Math.min(pk.capturedLength(), 400);
      for (int len = 0; len <= max; len++) {
        int l = len;
        assertThatCode(
                () -> d.decode(pk.linkType(), pk.buffer(), pk.offset(), l, pk.wireLength(), p))
            .doesNotThrowAnyException();
        decoded++;
      }
    }
    assertThat(d.counters().packets()).isEqualTo(decoded);
  }

  @Test
  void randomBytesNeverThrowOnAnyLinkType() {
    Random rnd = new Random(42);
    PacketDecoder d = new PacketDecoder();
    DecodedPacket p = new DecodedPacket();
    byte[] bytes = new byte[256];
    UnsafeBuffer buf = new UnsafeBuffer(bytes);
    for (int i = 0; i < 50_000; i++) {
      rnd.nextBytes(bytes);
      // bias towards plausible headers so that deep layers are reached
      if (i % 2 == 0) {
        bytes[12] = 0x08;
        bytes[13] = 0x00;
        bytes[14] = 0x45;
        bytes[23] = (byte) new int[] {6, 17, 1, 4, 41, 47, 58}[rnd.nextInt(7)];
      }
      int linkType = LINK_TYPES[i % LINK_TYPES.length];
      int len = rnd.nextInt(bytes.length + 1);
      assertThatCode(() -> d.decode(linkType, buf, 0, len, len + rnd.nextInt(3000), p))
          .doesNotThrowAnyException();
    }
    assertThatCode(() -> d.decode(LinkType.ETHERNET, buf, 250, 100, 100, p))
        .doesNotThrowAnyException();
    assertThatCode(() -> d.decode(LinkType.ETHERNET, buf, -5, 100, 100, p))
        .doesNotThrowAnyException();
  }

  @Test
  void malformedCapturesAreCountedByReason() throws IOException {
    PacketDecoder d = new PacketDecoder();
    DecodedPacket p = new DecodedPacket();
    String[] files = {
      "tcpdump/ipv4_invalid_hdr_length.pcap", "tcpdump/LINKTYPE_IPV4_invalid.pcap",
      "tcpdump/ipv4_invalid_total_length_2.pcap", "tcpdump/udp-length-heapoverflow.pcap",
      "zeek/trunc-hdr.pcap", "zeek/ip6-trunc.pcap"
    };
    DecodeStatus[] expected = {
      DecodeStatus.BAD_IHL, DecodeStatus.BAD_IP_VERSION, DecodeStatus.BAD_IPV4_LENGTH,
      DecodeStatus.TRUNCATED_UDP, DecodeStatus.TRUNCATED_LINK, DecodeStatus.TRUNCATED_IPV6
    };
    for (int i = 0; i < files.length; i++) {
      MiniPcap.Packet pk = MiniPcap.read(CAPTURES.resolve(files[i])).get(0);
      d.decode(pk.linkType(), pk.buffer(), pk.offset(), pk.capturedLength(), pk.wireLength(), p);
      assertThat(p.status()).as(files[i]).isEqualTo(expected[i]);
    }
    for (DecodeStatus s : expected) {
      assertThat(d.counters().count(s)).isEqualTo(1);
    }
    assertThat(d.counters().incomplete()).isEqualTo(files.length);
  }

  @Test
  void decodingAllocatesNothingPerPacket() throws IOException {
    java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Assumptions.assumeTrue(
        mx instanceof com.sun.management.ThreadMXBean tmx
            && tmx.isThreadAllocatedMemorySupported()
            && tmx.isThreadAllocatedMemoryEnabled(),
        "per-thread allocation counter not available on this JVM");
    com.sun.management.ThreadMXBean tmx = (com.sun.management.ThreadMXBean) mx;
    PacketDecoder d = new PacketDecoder();
    DecodedPacket p = new DecodedPacket();
    MiniPcap.Packet[] packets = allCapturePackets().toArray(new MiniPcap.Packet[0]);
    for (int r = 0; r < 20; r++) {
      decodeAll(d, p, packets);
    }
    long tid = Thread.currentThread().getId();
    long before = tmx.getThreadAllocatedBytes(tid);
    int rounds = 20;
    for (int r = 0; r < rounds; r++) {
      decodeAll(d, p, packets);
    }
    long allocated = tmx.getThreadAllocatedBytes(tid) - before;
    long count = (long) rounds * packets.length;
    // a few hundred bytes of JVM noise at most, against hundreds of thousands of packets
    assertThat(allocated).as("bytes allocated for %d packets", count).isLessThan(count / 100);
  }

  private static void decodeAll(PacketDecoder d, DecodedPacket p, MiniPcap.Packet[] packets) {
    for (MiniPcap.Packet pk : packets) {
      d.decode(pk.linkType(), pk.buffer(), pk.offset(), pk.capturedLength(), pk.wireLength(), p);
    }
  }
}
