package io.hoptrace.capture;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.agrona.DirectBuffer;

/** Test handler that keeps a copy of every packet. */
final class Recorder implements PacketHandler {

  record Packet(HopContext hop, int linkType, byte[] bytes, int wireLen, long tsNanos) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Packet p
          && p.hop.equals(hop)
          && p.linkType == linkType
          && Arrays.equals(p.bytes, bytes)
          && p.wireLen == wireLen
          && p.tsNanos == tsNanos;
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes) * 31 + Long.hashCode(tsNanos);
    }

    @Override
    public String toString() {
      return "Packet["
          + hop.id()
          + " lt="
          + linkType
          + " cap="
          + bytes.length
          + " wire="
          + wireLen
          + " ts="
          + tsNanos
          + "]";
    }
  }

  final List<Packet> packets = new ArrayList<>();

  @Override
  public synchronized void onPacket(
      HopContext hop,
      int linkType,
      DirectBuffer buffer,
      int offset,
      int capturedLength,
      int wireLength,
      long tsNanos) {
    byte[] b = new byte[capturedLength];
    buffer.getBytes(offset, b);
    packets.add(new Packet(hop, linkType, b, wireLength, tsNanos));
  }
}
