package io.hoptrace.evidence;

import io.hoptrace.capture.HopContext;
import io.hoptrace.capture.HopPcapngWriter;
import io.hoptrace.capture.PacketHandler;
import io.hoptrace.capture.PacketRing;
import io.hoptrace.decode.DecoderConfig;
import io.hoptrace.decode.PacketSummarizer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A sensor's recent packets: one {@link PacketRing} per hop it captures (memory: {@code
 * bytesPerHop} per hop, whatever the traffic), filled by {@link #tee} in front of the capture's
 * handler, and written out for a {@link PacketSelection} as one pcapng with one interface per hop
 * ({@link #write}). Packets are matched as in the replay: by the key the decoder gives them
 * (decoded again when written, so capturing stores bytes only).
 *
 * <p>Building block for the live half of issue 18 item 2 (the sensor's {@code --ring-seconds},
 * {@code --ring-bytes} and the request/answer topics of {@code hoptrace pcap}), not wired into the
 * sensor command yet.
 */
public final class HopRings {
  private record Ring(HopContext hop, PacketRing ring, int order) {}

  private record Kept(HopContext hop, int order, PacketRing.Packet packet) {}

  private final int bytesPerHop;
  private final long maxAgeNanos;
  private final Map<String, Ring> rings = new ConcurrentHashMap<>();

  /**
   * @param bytesPerHop each hop's ring size
   * @param maxAgeNanos how long a packet is kept after a newer one of its hop
   */
  public HopRings(int bytesPerHop, long maxAgeNanos) {
    if (bytesPerHop < 64 || maxAgeNanos <= 0) {
      throw new IllegalArgumentException(
          "bytesPerHop must be >= 64 and maxAgeNanos > 0, were "
              + bytesPerHop
              + ", "
              + maxAgeNanos);
    }
    this.bytesPerHop = bytesPerHop;
    this.maxAgeNanos = maxAgeNanos;
  }

  /** A handler that keeps each packet in its hop's ring, then hands it to {@code next}. */
  public PacketHandler tee(PacketHandler next) {
    return (hop, linkType, buffer, offset, capturedLength, wireLength, tsNanos) -> {
      ring(hop).add(linkType, buffer, offset, capturedLength, wireLength, tsNanos);
      next.onPacket(hop, linkType, buffer, offset, capturedLength, wireLength, tsNanos);
    };
  }

  /** The ring of {@code hop}, created on its first packet. */
  public PacketRing ring(HopContext hop) {
    Ring r = rings.get(hop.id());
    if (r == null) {
      r =
          rings.computeIfAbsent(
              hop.id(),
              id -> new Ring(hop, new PacketRing(bytesPerHop, maxAgeNanos), rings.size()));
    }
    return r.ring();
  }

  /** The hops with a ring. */
  public int hops() {
    return rings.size();
  }

  /**
   * Writes the kept packets that {@code selection} matches, from every hop, in capture-time order
   * (ties: the order in which the hops were first seen).
   *
   * @return the packets written
   */
  public long write(PacketSelection selection, DecoderConfig config, HopPcapngWriter out)
      throws IOException {
    PacketSummarizer summarizer = new PacketSummarizer(config);
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[0]);
    List<Kept> kept = new ArrayList<>();
    for (Ring r : rings.values()) {
      for (PacketRing.Packet p : r.ring().snapshot()) {
        buffer.wrap(p.data());
        summarizer.summarize(
            r.hop(), p.linkType(), buffer, 0, p.data().length, p.wireLength(), p.tsNanos());
        if (selection.matches(summarizer.key(), p.tsNanos())) {
          kept.add(new Kept(r.hop(), r.order(), p));
        }
      }
    }
    kept.sort(
        Comparator.comparingLong((Kept k) -> k.packet().tsNanos()).thenComparingInt(Kept::order));
    for (Kept k : kept) {
      PacketRing.Packet p = k.packet();
      out.write(k.hop(), p.linkType(), p.tsNanos(), p.data(), 0, p.data().length, p.wireLength());
    }
    return kept.size();
  }
}
