package io.hoptrace.capture;

import org.agrona.DirectBuffer;

/**
 * Receives captured packets from a file reader or a live capture. The buffer is only valid during
 * the call: the source reuses it for the next packet, so a handler copies what it keeps.
 */
@FunctionalInterface
public interface PacketHandler {

  /**
   * @param hop where the packet was captured (node, interface, role); for pcapng one per interface
   * @param linkType the DLT/LINKTYPE of the packet's first byte (see {@link LinkType})
   * @param buffer the captured bytes (valid during the call only)
   * @param offset first byte of the packet in {@code buffer}
   * @param capturedLength bytes captured (at most the snap length)
   * @param wireLength bytes on the wire
   * @param tsNanos capture timestamp, nanoseconds since the epoch
   */
  void onPacket(
      HopContext hop,
      int linkType,
      DirectBuffer buffer,
      int offset,
      int capturedLength,
      int wireLength,
      long tsNanos);
}
