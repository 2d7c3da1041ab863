package io.hoptrace.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.schema.InterfaceRole;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PcapngWriter} and {@link HopPcapngWriter}, read back by the project's own reader. */
class PcapngWriterTest {

  @TempDir Path tmp;

  private static final HopContext UPLINK =
      new HopContext("node-b", null, "ens33", InterfaceRole.UPLINK);
  private static final HopContext POD =
      new HopContext("node-a", "pod-a1", "eth0", InterfaceRole.POD);

  /** Reads {@code file}, each interface becoming the hop its if_name names. */
  private static Recorder read(Path file, List<CaptureInterface> interfaces) throws Exception {
    Function<CaptureInterface, HopContext> byName =
        i ->
            i.name().equals(UPLINK.id())
                ? UPLINK
                : new HopContext("x", null, i.name(), InterfaceRole.ANY);
    Recorder r = new Recorder();
    try (CaptureFileReader reader = CaptureFileReader.open(file, UPLINK, byName)) {
      assertThat(reader.format()).isEqualTo(CaptureFileReader.Format.PCAPNG);
      reader.read(r);
      assertThat(reader.stats().complete()).as(reader.stats().describe()).isTrue();
      interfaces.addAll(reader.interfaces());
    }
    return r;
  }

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void packetsOfTwoInterfacesComeBackWithTheirNamesDescriptionsTimesAndBytes() throws Exception {
    Path file = tmp.resolve("two.pcapng");
    // every padding case (0..3 bytes), a cut packet (captured < wire) and a ns timestamp past 2^32
    // s
    byte[][] data = {bytes(60, 1), bytes(61, 2), bytes(62, 3), bytes(63, 4), bytes(0, 5)};
    long[] ts = {
      1_795_457_045_296_174_001L,
      1_795_457_045_296_174_002L,
      1_795_457_046_000_000_999L,
      5_000_000_000_000_000_123L,
      1L
    };
    try (PcapngWriter w = new PcapngWriter(Files.newOutputStream(file))) {
      int eth = w.addInterface(LinkType.ETHERNET, "node-b/ens33", "UPLINK");
      int raw = w.addInterface(LinkType.RAW, "node-a/pod-a1/eth0", "POD");
      assertThat(List.of(eth, raw)).containsExactly(0, 1);
      for (int i = 0; i < data.length; i++) {
        w.write(i % 2 == 0 ? eth : raw, ts[i], data[i], 0, data[i].length, data[i].length + i);
      }
      assertThat(w.packets()).isEqualTo(5);
      assertThat(w.interfaces()).isEqualTo(2);
    }
    List<CaptureInterface> interfaces = new java.util.ArrayList<>();
    Recorder r = read(file, interfaces);
    assertThat(interfaces)
        .containsExactly(
            new CaptureInterface(LinkType.ETHERNET, PcapngWriter.SNAPLEN, "node-b/ens33", "UPLINK"),
            new CaptureInterface(LinkType.RAW, PcapngWriter.SNAPLEN, "node-a/pod-a1/eth0", "POD"));
    assertThat(r.packets).hasSize(5);
    for (int i = 0; i < data.length; i++) {
      Recorder.Packet p = r.packets.get(i);
      assertThat(p.bytes()).as("packet %d", i).isEqualTo(data[i]);
      assertThat(p.tsNanos()).as("packet %d", i).isEqualTo(ts[i]);
      assertThat(p.wireLen()).as("packet %d", i).isEqualTo(data[i].length + i);
      assertThat(p.linkType()).isEqualTo(i % 2 == 0 ? LinkType.ETHERNET : LinkType.RAW);
      assertThat(p.hop().iface()).isEqualTo(i % 2 == 0 ? "ens33" : "node-a/pod-a1/eth0");
    }
  }

  @Test
  void blocksAreFramedAsTheFormatSays() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PcapngWriter w = new PcapngWriter(out)) {
      w.addInterface(LinkType.ETHERNET, "abcde", null);
      w.write(0, 0x1_0000_0002L, new byte[] {9, 8, 7}, 0, 3, 3);
    }
    ByteBuffer b = ByteBuffer.wrap(out.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
    // SHB: type, length at both ends, byte-order magic, version 1.0, section length -1
    assertThat(b.getInt(0)).isEqualTo(0x0A0D0D0A);
    int shb = b.getInt(4);
    assertThat(b.getInt(shb - 4)).isEqualTo(shb);
    assertThat(b.getInt(8)).isEqualTo(0x1A2B3C4D);
    assertThat(b.getShort(12)).isEqualTo((short) 1);
    assertThat(b.getShort(14)).isEqualTo((short) 0);
    assertThat(b.getLong(16)).isEqualTo(-1L);
    // IDB: link type, snaplen, if_name "abcde" padded to 8, if_tsresol 9, end of options
    int idb = shb;
    assertThat(b.getInt(idb)).isEqualTo(1);
    int idbLen = b.getInt(idb + 4);
    assertThat(idbLen).isEqualTo(16 + 4 + 8 + 4 + 4 + 4 + 4);
    assertThat(b.getShort(idb + 8)).isEqualTo((short) LinkType.ETHERNET);
    assertThat(b.getShort(idb + 16)).isEqualTo((short) 2);
    assertThat(b.getShort(idb + 18)).isEqualTo((short) 5);
    assertThat(b.getShort(idb + 28)).isEqualTo((short) 9);
    assertThat(b.get(idb + 32)).isEqualTo((byte) 9);
    assertThat(b.getInt(idb + idbLen - 4)).isEqualTo(idbLen);
    // EPB: interface 0, timestamp high/low words, lengths, 3 bytes padded to 4
    int epb = idb + idbLen;
    assertThat(b.getInt(epb)).isEqualTo(6);
    assertThat(b.getInt(epb + 4)).isEqualTo(36);
    assertThat(b.getInt(epb + 8)).isZero();
    assertThat(b.getInt(epb + 12)).isEqualTo(1);
    assertThat(b.getInt(epb + 16)).isEqualTo(2);
    assertThat(b.getInt(epb + 20)).isEqualTo(3);
    assertThat(b.getInt(epb + 32)).isEqualTo(36);
    assertThat(b.capacity()).isEqualTo(epb + 36);
  }

  @Test
  void refusesAPacketOfAnUndeclaredInterfaceOrLongerThanOnTheWire() throws Exception {
    try (PcapngWriter w = new PcapngWriter(new ByteArrayOutputStream())) {
      assertThatThrownBy(() -> w.write(0, 1, new byte[4], 0, 4, 4))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("no interface 0");
      w.addInterface(LinkType.ETHERNET, "a", "b");
      assertThatThrownBy(() -> w.write(0, 1, new byte[4], 0, 4, 3))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("wireLen 3 < captured length 4");
      assertThatThrownBy(() -> w.addInterface(70_000, "a", "b"))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void hopWriterDeclaresOneInterfacePerHopWhenItsFirstPacketComes() throws Exception {
    Path file = tmp.resolve("hops.pcapng");
    try (HopPcapngWriter w = HopPcapngWriter.create(file)) {
      w.write(POD, LinkType.ETHERNET, 10, bytes(60, 1), 0, 60, 60);
      w.write(UPLINK, LinkType.ETHERNET, 20, bytes(110, 2), 0, 110, 110);
      w.write(POD, LinkType.ETHERNET, 30, bytes(60, 3), 0, 60, 60);
      assertThat(w.packets()).isEqualTo(3);
      assertThat(w.packetsPerHop())
          .containsExactly(Map.entry("node-a/pod-a1/eth0", 2L), Map.entry("node-b/ens33", 1L));
    }
    List<CaptureInterface> interfaces = new java.util.ArrayList<>();
    Recorder r = read(file, interfaces);
    assertThat(interfaces)
        .extracting(CaptureInterface::name, CaptureInterface::description)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("node-a/pod-a1/eth0", "POD"),
            org.assertj.core.groups.Tuple.tuple("node-b/ens33", "UPLINK"));
    assertThat(r.packets).extracting(Recorder.Packet::tsNanos).containsExactly(10L, 20L, 30L);
    assertThat(r.packets)
        .extracting(p -> p.hop().iface())
        .containsExactly("node-a/pod-a1/eth0", "ens33", "node-a/pod-a1/eth0");
  }
}
