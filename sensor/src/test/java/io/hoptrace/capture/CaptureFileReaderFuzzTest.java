package io.hoptrace.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.hoptrace.decode.DecodedPacket;
import io.hoptrace.decode.PacketDecoder;
import io.hoptrace.schema.InterfaceRole;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.agrona.DirectBuffer;

/**
 * Fuzzes the capture readers with whole files: {@link CaptureFileReader} (pcap, pcapng, gzip; with
 * the whole file mapped and with a small sliding map window) and {@link CaptureStreamReader} (the
 * same bytes as a {@code tcpdump -w -} stream). A corrupt file must give a {@link
 * CaptureFileException} or counted, named errors in {@link CaptureStats} — one line each — never an
 * exception out of {@code read}, a hang, or a packet slice outside the buffer. Every packet is
 * decoded as the sensor does.
 *
 * <p>Regression inputs (the bundled captures and every crash found) are in {@code
 * CaptureFileReaderFuzzTestInputs/read/}; docs/reliability.md "Fuzzing" has the fuzzing command.
 */
class CaptureFileReaderFuzzTest {

  private static final HopContext HOP = new HopContext("node-a", null, "eth0", InterfaceRole.ANY);
  private static final PacketDecoder DECODER = new PacketDecoder();
  private static final DecodedPacket PACKET = new DecodedPacket();
  private static final Path FILE = tempFile();

  /** A window far smaller than any real capture: every few blocks slide the map. */
  private static final long SMALL_WINDOW = 4096;

  @FuzzTest(maxDuration = "30s")
  void read(byte[] input) throws IOException {
    Files.write(FILE, input);
    readFile(CaptureFileReader.DEFAULT_WINDOW);
    readFile(SMALL_WINDOW);
    readStream(input);
  }

  private static void readFile(long window) {
    CaptureFileReader reader;
    try {
      reader =
          CaptureFileReader.open(
              FILE,
              HOP,
              CaptureFileReader.hopPerInterfaceName(HOP, InterfaceRoles.defaults()),
              window);
    } catch (CaptureFileException e) {
      assertOneLine(e.getMessage());
      return;
    }
    try (reader) {
      long n = 0;
      long got;
      while ((got = reader.read(CaptureFileReaderFuzzTest::onPacket, 64)) > 0) {
        n += got;
      }
      CaptureStats stats = reader.stats();
      assertThat(stats.packets()).isEqualTo(n);
      assertThat(reader.position()).isBetween(0L, reader.sizeBytes());
      assertOneLine(stats.describe());
    }
  }

  private static void readStream(byte[] input) {
    CaptureStreamReader reader;
    try {
      reader = CaptureStreamReader.open(new ByteArrayInputStream(input), HOP);
    } catch (CaptureFileException e) {
      assertOneLine(e.getMessage());
      return;
    }
    try (reader) {
      long n = reader.read(CaptureFileReaderFuzzTest::onPacket);
      assertThat(reader.stats().packets()).isEqualTo(n);
      assertOneLine(reader.stats().describe());
    }
  }

  /** Touches the first and last byte of the slice (bounds-checked) and decodes the packet. */
  private static void onPacket(
      HopContext hop,
      int linkType,
      DirectBuffer buffer,
      int offset,
      int capturedLength,
      int wireLength,
      long tsNanos) {
    assertThat(hop).isNotNull();
    assertThat(capturedLength).isBetween(0, CaptureFileReader.MAX_CAPLEN);
    if (capturedLength > 0) {
      buffer.getByte(offset);
      buffer.getByte(offset + capturedLength - 1);
    }
    DECODER.decode(linkType, buffer, offset, capturedLength, wireLength, PACKET);
  }

  private static void assertOneLine(String message) {
    assertThat(message).isNotBlank().doesNotContain("\n", "\r");
  }

  private static Path tempFile() {
    try {
      Path f = Files.createTempFile("hoptrace-fuzz-", ".cap");
      f.toFile().deleteOnExit();
      return f;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
