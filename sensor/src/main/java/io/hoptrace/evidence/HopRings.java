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
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A sensor's recent packets: one {@link PacketRing} per hop it captures, their arenas together
 * within {@code totalBytes} whatever the traffic and however many hops come, filled by {@link
 * #keeper} (or {@link #tee}) on the capture threads, and read out for a {@link PacketSelection}
 * ({@link #select}, {@link #write}). Packets are matched as in the replay: by the key the decoder
 * gives them (decoded again when selected, so capturing stores bytes only).
 *
 * <p>The bound is divided among the hops as they come: with {@code n} hops each ring may grow to
 * {@code totalBytes / n} (a new hop shrinks the larger ones, keeping their newest packets). A ring
 * starts at {@link #INITIAL_RING_BYTES} and doubles as its packets need ({@link PacketRing}): the
 * memory is what the hops' traffic of the last {@code maxAgeNanos} takes, within the bound — on a
 * node of 110 quiet pods a few MB, not the whole bound. At most {@code totalBytes / minRingBytes}
 * hops (by default {@link #MIN_RING_BYTES}) have a ring; a further hop takes the ring of the hop
 * idle longest (a pod gone, its interface no longer captured).
 */
public final class HopRings {
  /**
   * The smallest share of the bound a hop gets: ~600 headers of 256 bytes. The default 64 MiB then
   * keep a ring for 512 hops: a node of 110 pods has 221 (two per pod, the bridge, the uplink...).
   * With 512 KiB (the first value) only 128 had one, and every broadcast reaching the 220 pod hops
   * made ~90 of them take the ring of another, each a new 512 KiB arena: measured 6–8 s of CPU per
   * 10 s on an idle node of 110 pods (GC and the arenas' copies), the rings' packets lost.
   */
  public static final int MIN_RING_BYTES = 1 << 17;

  /** A new ring's first arena: a quiet hop's 60 s of ARP and neighbour discovery fit in it. */
  public static final int INITIAL_RING_BYTES = 8 << 10;

  /** The arena a retired ring keeps (a keeper may still hold the ring for a moment). */
  private static final int MIN_ARENA = 64;

  /** Bytes left out of each ring's share for its array header. */
  static final int ARRAY_SLACK = 64;

  /** One hop's ring; {@code retired} once another hop took its room. */
  private static final class Ring {
    final HopContext hop;
    final PacketRing ring;
    final int order;
    volatile boolean retired;

    Ring(HopContext hop, PacketRing ring, int order) {
      this.hop = hop;
      this.ring = ring;
      this.order = order;
    }
  }

  /**
   * One packet selected: where it was captured and the packet (copied out of the ring).
   *
   * @param order the order in which its hop was first seen (ties of capture time)
   */
  public record Kept(HopContext hop, int order, PacketRing.Packet packet) {}

  private final long totalBytes;
  private final long maxAgeNanos;
  private final int maxHops;
  private final Map<String, Ring> rings = new ConcurrentHashMap<>();
  private int created;
  private volatile long retiredTooLarge;

  /**
   * @param totalBytes the arenas' bound, all hops together (at least {@link #MIN_RING_BYTES})
   * @param maxAgeNanos how long a packet is kept after a newer one of its hop
   */
  public HopRings(long totalBytes, long maxAgeNanos) {
    this(totalBytes, maxAgeNanos, MIN_RING_BYTES);
  }

  /**
   * @param minRingBytes the smallest share of the bound a hop gets (at least 128): at most {@code
   *     totalBytes / minRingBytes} hops have a ring
   */
  public HopRings(long totalBytes, long maxAgeNanos, int minRingBytes) {
    if (minRingBytes < 128 || totalBytes < minRingBytes || maxAgeNanos <= 0) {
      throw new IllegalArgumentException(
          "minRingBytes must be >= 128, totalBytes >= minRingBytes and maxAgeNanos > 0, were "
              + minRingBytes
              + ", "
              + totalBytes
              + ", "
              + maxAgeNanos);
    }
    this.totalBytes = totalBytes;
    this.maxAgeNanos = maxAgeNanos;
    this.maxHops = (int) Math.min(Integer.MAX_VALUE, totalBytes / minRingBytes);
  }

  /**
   * A handler that keeps each packet in its hop's ring: one per capture thread (it remembers its
   * hops' rings, so a packet costs one copy into the arena and no allocation).
   */
  public PacketHandler keeper() {
    return new Keeper();
  }

  /** {@link #keeper()}, then {@code next}. */
  public PacketHandler tee(PacketHandler next) {
    PacketHandler keep = keeper();
    return (hop, linkType, buffer, offset, capturedLength, wireLength, tsNanos) -> {
      keep.onPacket(hop, linkType, buffer, offset, capturedLength, wireLength, tsNanos);
      next.onPacket(hop, linkType, buffer, offset, capturedLength, wireLength, tsNanos);
    };
  }

  /**
   * Keeps packets for one capture thread: its hops' rings by {@link HopContext} identity (a capture
   * hands the same context with every packet of a hop), so finding the ring allocates nothing — a
   * hop id is formatted only on a hop's first packet, or when its ring was retired.
   */
  private final class Keeper implements PacketHandler {
    private static final int MAX_CACHED = 256;
    private final Map<HopContext, Ring> cache = new IdentityHashMap<>();

    @Override
    public void onPacket(
        HopContext hop,
        int linkType,
        DirectBuffer buffer,
        int offset,
        int capturedLength,
        int wireLength,
        long tsNanos) {
      Ring r = cache.get(hop);
      if (r == null || r.retired) {
        if (cache.size() >= MAX_CACHED) {
          cache.clear(); // a source that makes a new context per packet: stay bounded
        }
        r = ringOf(hop);
        cache.put(hop, r);
      }
      r.ring.add(linkType, buffer, offset, capturedLength, wireLength, tsNanos);
    }
  }

  /** The ring of {@code hop}, created on its first packet. */
  public PacketRing ring(HopContext hop) {
    return ringOf(hop).ring;
  }

  private Ring ringOf(HopContext hop) {
    Ring r = rings.get(hop.id());
    return r != null ? r : create(hop);
  }

  private synchronized Ring create(HopContext hop) {
    Ring r = rings.get(hop.id());
    if (r != null) {
      return r;
    }
    if (rings.size() >= maxHops) {
      Ring idle = null;
      for (Ring x : rings.values()) {
        if (idle == null || x.ring.newestNanos() < idle.ring.newestNanos()) {
          idle = x;
        }
      }
      idle.retired = true;
      retiredTooLarge += idle.ring.tooLarge();
      rings.remove(idle.hop.id());
      // a capture thread's keeper may hold the retired ring until its hop's next packet: give back
      // its arena now, or the bound would not hold (with 512 KiB shares and 221 hops, ~90 retired
      // arenas stayed reachable: 126 MB of byte[] in a heap histogram for a 64 MiB bound)
      idle.ring.resize(MIN_ARENA);
    }
    int each = perHop(rings.size() + 1);
    for (Ring x : rings.values()) {
      if (x.ring.limitBytes() > each) {
        x.ring.resize(each);
      }
    }
    r =
        new Ring(
            hop, new PacketRing(Math.min(INITIAL_RING_BYTES, each), each, maxAgeNanos), created++);
    rings.put(hop.id(), r);
    return r;
  }

  /**
   * Each ring's arena: its share of the bound less {@link #ARRAY_SLACK}, so that an arena and its
   * array header fit the share exactly — G1 puts an array of a region size or more in whole
   * regions, and an 8 MB arena would take nine 1 MB regions (measured: +72 MB of heap for 8 hops of
   * a 64 MB bound, +64 MB with the slack).
   */
  private int perHop(int hops) {
    return (int) Math.min(Integer.MAX_VALUE - 8, totalBytes / hops - ARRAY_SLACK) & ~7;
  }

  /** The hops with a ring. */
  public int hops() {
    return rings.size();
  }

  /** The ids of the hops with a ring. */
  public List<String> hopIds() {
    return List.copyOf(rings.keySet());
  }

  /** The rings' arenas together: the memory they take now (at most {@link #totalBytes()}). */
  public long capacityBytes() {
    long n = 0;
    for (Ring r : rings.values()) {
      n += r.ring.capacityBytes();
    }
    return n;
  }

  /** Packets the rings hold. */
  public long packets() {
    long n = 0;
    for (Ring r : rings.values()) {
      n += r.ring.packets();
    }
    return n;
  }

  /** The bound given. */
  public long totalBytes() {
    return totalBytes;
  }

  /** Packets not kept because they were larger than their hop's whole ring (monotonic). */
  public long tooLarge() {
    long n = retiredTooLarge;
    for (Ring r : rings.values()) {
      n += r.ring.tooLarge();
    }
    return n;
  }

  /**
   * How far back every hop's packets reach: the shortest span (ns) from a ring's oldest packet to
   * its newest among the rings that hold packets, or 0 when none does — how old a flow can be and
   * still be in {@code hoptrace pcap}'s answer from every hop.
   */
  public long shortestSpanNanos() {
    long min = Long.MAX_VALUE;
    for (Ring r : rings.values()) {
      long oldest = r.ring.oldestNanos();
      if (oldest != Long.MIN_VALUE) {
        min = Math.min(min, r.ring.newestNanos() - oldest);
      }
    }
    return min == Long.MAX_VALUE ? 0 : min;
  }

  /**
   * The kept packets that {@code selection} matches, from every hop, in capture-time order (ties:
   * the order in which the hops were first seen).
   */
  public List<Kept> select(PacketSelection selection, DecoderConfig config) {
    PacketSummarizer summarizer = new PacketSummarizer(config);
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[0]);
    List<Kept> kept = new ArrayList<>();
    for (Ring r : rings.values()) {
      for (PacketRing.Packet p : r.ring.snapshot()) {
        buffer.wrap(p.data());
        summarizer.summarize(
            r.hop, p.linkType(), buffer, 0, p.data().length, p.wireLength(), p.tsNanos());
        if (selection.matches(summarizer.key(), p.tsNanos())) {
          kept.add(new Kept(r.hop, r.order, p));
        }
      }
    }
    kept.sort(
        Comparator.comparingLong((Kept k) -> k.packet().tsNanos()).thenComparingInt(Kept::order));
    return kept;
  }

  /**
   * Writes the kept packets that {@code selection} matches ({@link #select}).
   *
   * @return the packets written
   */
  public long write(PacketSelection selection, DecoderConfig config, HopPcapngWriter out)
      throws IOException {
    List<Kept> kept = select(selection, config);
    for (Kept k : kept) {
      PacketRing.Packet p = k.packet();
      out.write(k.hop(), p.linkType(), p.tsNanos(), p.data(), 0, p.data().length, p.wireLength());
    }
    return kept.size();
  }
}
