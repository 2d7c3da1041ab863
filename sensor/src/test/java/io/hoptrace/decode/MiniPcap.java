package io.hoptrace.decode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Test-only reader of classic pcap files (24-byte file header, 16-byte record headers, either byte
 * order, µs or ns). The product's reader is {@code io.hoptrace.capture.CaptureFileReader}; this one
 * only exists so decoder tests can use real captures.
 */
final class MiniPcap {
  record Packet(
      int linkType, UnsafeBuffer buffer, int offset, int capturedLength, int wireLength) {}

  private MiniPcap() {}

  static List<Packet> read(Path file) throws IOException {
    byte[] all = Files.readAllBytes(file);
    ByteBuffer bb = ByteBuffer.wrap(all);
    int magic = bb.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
    if (magic != 0xA1B2C3D4 && magic != 0xA1B23C4D) {
      bb.order(ByteOrder.BIG_ENDIAN);
      magic = bb.getInt(0);
      if (magic != 0xA1B2C3D4 && magic != 0xA1B23C4D) {
        throw new IOException("not a classic pcap: " + file);
      }
    }
    int linkType = bb.getInt(20) & 0x0FFFFFFF;
    UnsafeBuffer buffer = new UnsafeBuffer(all);
    List<Packet> out = new ArrayList<>();
    int p = 24;
    while (p + 16 <= all.length) {
      int incl = bb.getInt(p + 8);
      int orig = bb.getInt(p + 12);
      if (incl < 0 || p + 16 + incl > all.length) {
        break;
      }
      out.add(new Packet(linkType, buffer, p + 16, incl, orig));
      p += 16 + incl;
    }
    return out;
  }
}
