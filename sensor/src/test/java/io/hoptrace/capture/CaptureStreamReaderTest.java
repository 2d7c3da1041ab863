package io.hoptrace.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CaptureStreamReaderTest {

  /** Hands out a few bytes per read, as a pipe does. */
  static final class Dribble extends FilterInputStream {
    private final Random rnd = new Random(5);

    Dribble(InputStream in) {
      super(in);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return super.read(b, off, Math.min(len, 1 + rnd.nextInt(7)));
    }
  }

  @Test
  void streamGivesTheSamePacketsAsTheFileReader() throws Exception {
    for (String name :
        new String[] {"be-usec-pptp.pcap", "nsec-sll-tcp-handshake.pcap", "sll2.pcap"}) {
      byte[] bytes = Files.readAllBytes(CaptureFileReaderTest.resource(name));
      Recorder r = new Recorder();
      try (CaptureStreamReader s =
          CaptureStreamReader.open(
              new Dribble(new ByteArrayInputStream(bytes)), CaptureFileReaderTest.HOP)) {
        s.read(r);
        assertThat(s.stats().complete()).isTrue();
        assertThat(s.packets()).isEqualTo(r.packets.size());
      }
      assertThat(r.packets)
          .as(name)
          .isEqualTo(CaptureFileReaderTest.readAll(CaptureFileReaderTest.resource(name)).packets);
    }
  }

  @Test
  void manyPacketsReuseTheBufferAcrossRefills() throws Exception {
    Random rnd = new Random(11);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PcapWriter w = new PcapWriter(out, LinkType.ETHERNET, false);
    byte[][] pkts = new byte[2000][];
    for (int i = 0; i < pkts.length; i++) {
      pkts[i] = new byte[1 + rnd.nextInt(1500)];
      rnd.nextBytes(pkts[i]);
      w.write(i * 1_000L, pkts[i]);
    }
    Recorder r = new Recorder();
    try (CaptureStreamReader s =
        CaptureStreamReader.open(
            new ByteArrayInputStream(out.toByteArray()), CaptureFileReaderTest.HOP, 300_000)) {
      assertThat(s.read(r)).isEqualTo(2000);
    }
    for (int i = 0; i < pkts.length; i++) {
      assertThat(r.packets.get(i).bytes()).isEqualTo(pkts[i]);
      assertThat(r.packets.get(i).tsNanos()).isEqualTo(i * 1_000L);
    }
  }

  @Test
  void streamCutMidRecordKeepsThePacketsBefore() throws Exception {
    byte[] bytes = Files.readAllBytes(CaptureFileReaderTest.resource("cut-mid-record.pcap"));
    try (CaptureStreamReader s =
        CaptureStreamReader.open(new ByteArrayInputStream(bytes), CaptureFileReaderTest.HOP)) {
      assertThat(s.read(new Recorder())).isEqualTo(9);
      assertThat(s.stats().truncatedAtEnd()).isTrue();
      assertThat(s.stats().errorMessage()).contains("truncated");
    }
  }

  @Test
  void emptyOrForeignStreamsAreRefusedWithOneLine() {
    assertThatThrownBy(
            () ->
                CaptureStreamReader.open(
                    new ByteArrayInputStream(new byte[0]), CaptureFileReaderTest.HOP))
        .isInstanceOf(CaptureFileException.class)
        .hasMessage("empty stream");
    byte[] ng = new byte[64];
    ng[0] = 0x0A;
    ng[1] = 0x0D;
    ng[2] = 0x0D;
    ng[3] = 0x0A;
    assertThatThrownBy(
            () -> CaptureStreamReader.open(new ByteArrayInputStream(ng), CaptureFileReaderTest.HOP))
        .hasMessage(
            "a pcapng stream: only classic pcap is read from a stream (tcpdump -w - writes it;"
                + " for a pcapng file give its path)");
    assertThatThrownBy(
            () ->
                CaptureStreamReader.open(
                    new ByteArrayInputStream(
                        Arrays.copyOf(new byte[] {(byte) 0xd4, (byte) 0xc3}, 10)),
                    CaptureFileReaderTest.HOP))
        .hasMessageContaining("truncated pcap header");
  }

  @Test
  void pcapWriterWritesMicrosecondsUnlessAskedForNanoseconds() throws Exception {
    for (boolean nanos : new boolean[] {false, true}) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PcapWriter w = new PcapWriter(out, LinkType.LINUX_SLL2, nanos);
      w.write(1_600_000_000_123_456_789L, new byte[] {1, 2, 3}, 1, 2, 40);
      assertThat(w.packets()).isEqualTo(1);
      Recorder r = new Recorder();
      try (CaptureStreamReader s =
          CaptureStreamReader.open(
              new ByteArrayInputStream(out.toByteArray()), CaptureFileReaderTest.HOP)) {
        s.read(r);
        assertThat(s.linkType()).isEqualTo(LinkType.LINUX_SLL2);
      }
      Recorder.Packet p = r.packets.get(0);
      assertThat(p.bytes()).containsExactly(2, 3);
      assertThat(p.wireLen()).isEqualTo(40);
      assertThat(p.tsNanos())
          .isEqualTo(nanos ? 1_600_000_000_123_456_789L : 1_600_000_000_123_456_000L);
    }
    assertThatThrownBy(
            () ->
                new PcapWriter(new ByteArrayOutputStream(), 1, false)
                    .write(0, new byte[4], 0, 4, 3))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
