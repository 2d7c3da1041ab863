package io.hoptrace.capture;

import java.util.ArrayList;
import java.util.List;
import org.agrona.DirectBuffer;

/**
 * The last packets of one hop, as captured (headers only: the capture's snap length), in a byte
 * arena of at most {@code limitBytes}: memory is bounded whatever the traffic. A packet older than
 * {@code maxAgeNanos} before the newest one is forgotten, and so is the oldest packet when a new
 * one needs its room. The arena starts at {@code initialBytes} and doubles (up to the limit) when a
 * packet finds no room and no packet is old enough to go: a quiet hop (a pod's ARP and neighbour
 * discovery) keeps a few KiB, not its whole share — with 220 pod hops most rings stay small. Adding
 * copies the bytes into the arena and allocates nothing but for those few doublings. One writer
 * (the hop's capture thread) and any number of readers ({@link #snapshot}): both take the ring's
 * lock, which the writer holds for one copy only.
 *
 * <pre>
 * record: | tsNanos (8) | linkType (4) | wireLength (4) | capturedLength (4) | bytes, padded to 8 |
 * </pre>
 *
 * A record never wraps: one that does not fit before the arena's end starts again at 0, after the
 * oldest records there are forgotten.
 */
public final class PacketRing {
  private static final int HEADER = 20;

  /** One packet read out of the ring. */
  public record Packet(long tsNanos, int linkType, int wireLength, byte[] data) {}

  private byte[] arena;
  private int limit;
  private final long maxAgeNanos;
  // the records live in [head, tail) while wrap < 0, else in [head, wrap) then [0, tail)
  private int head;
  private int tail;
  private int wrap = -1;
  private int count;
  private long tooLarge;
  private long newest = Long.MIN_VALUE;

  /**
   * A ring whose arena has its full size from the start.
   *
   * @param capacityBytes the arena's size (records take 20 bytes plus the packet, padded to 8)
   * @param maxAgeNanos how long a packet is kept after a newer one arrives
   */
  public PacketRing(int capacityBytes, long maxAgeNanos) {
    this(capacityBytes, capacityBytes, maxAgeNanos);
  }

  /**
   * A ring whose arena starts at {@code initialBytes} and grows, doubling, up to {@code limitBytes}
   * as its packets need (see the class comment).
   *
   * @param initialBytes the first arena's size (at least 64; at most {@code limitBytes})
   * @param limitBytes the largest arena (records take 20 bytes plus the packet, padded to 8)
   * @param maxAgeNanos how long a packet is kept after a newer one arrives
   */
  public PacketRing(int initialBytes, int limitBytes, long maxAgeNanos) {
    if (initialBytes < 64 || limitBytes < initialBytes) {
      throw new IllegalArgumentException(
          "capacity must be >= 64 and the limit >= the initial capacity, were "
              + initialBytes
              + ", "
              + limitBytes);
    }
    if (maxAgeNanos <= 0) {
      throw new IllegalArgumentException("maxAgeNanos must be > 0, was " + maxAgeNanos);
    }
    this.arena = new byte[initialBytes];
    this.limit = limitBytes;
    this.maxAgeNanos = maxAgeNanos;
  }

  /**
   * Keeps one packet (a packet larger than the arena's limit is counted in {@link #tooLarge()} and
   * not kept).
   */
  public synchronized void add(
      int linkType, DirectBuffer buffer, int offset, int capturedLength, int wireLength, long ts) {
    int size = recordSize(capturedLength);
    if (ts > newest) {
      newest = ts;
    }
    if (size > limit) {
      tooLarge++;
      return;
    }
    while (count > 0 && tsAt(head) < ts - maxAgeNanos) {
      evict();
    }
    if (arena.length < limit && !fits(size)) {
      relayout(Math.max(size, (int) Math.min(limit, 2L * arena.length)));
    }
    int at;
    while (true) {
      if (count == 0) {
        at = 0;
        break;
      }
      if (wrap < 0) {
        // records in [head, tail): room at the end, else at the start, before head
        if (arena.length - tail >= size) {
          at = tail;
          break;
        }
        if (head >= size) {
          wrap = tail;
          at = 0;
          break;
        }
      } else if (head - tail >= size) {
        // records in [head, wrap) and [0, tail): room between them
        at = tail;
        break;
      }
      evict();
    }
    putLong(at, ts);
    putInt(at + 8, linkType);
    putInt(at + 12, wireLength);
    putInt(at + 16, capturedLength);
    buffer.getBytes(offset, arena, at + HEADER, capturedLength);
    tail = at + size;
    count++;
  }

  private void evict() {
    head += recordSize(getInt(head + 16));
    count--;
    if (count == 0) {
      head = tail = 0;
      wrap = -1;
    } else if (wrap >= 0 && head >= wrap) {
      head = 0;
      wrap = -1;
    }
  }

  /** The packets kept, oldest first (copies). */
  public synchronized List<Packet> snapshot() {
    List<Packet> out = new ArrayList<>(count);
    int p = head;
    for (int i = 0; i < count; i++) {
      if (wrap >= 0 && p >= wrap) {
        p = 0;
      }
      int cap = getInt(p + 16);
      byte[] data = new byte[cap];
      System.arraycopy(arena, p + HEADER, data, 0, cap);
      out.add(new Packet(tsAt(p), getInt(p + 8), getInt(p + 12), data));
      p += recordSize(cap);
    }
    return out;
  }

  /** Whether a record of {@code size} bytes has room without evicting. */
  private boolean fits(int size) {
    if (count == 0) {
      return arena.length >= size;
    }
    if (wrap < 0) {
      return arena.length - tail >= size || head >= size;
    }
    return head - tail >= size;
  }

  /**
   * Sets the ring's limit to {@code capacityBytes}: an arena larger than that is replaced by one of
   * that size, keeping the newest packets that fit (the sensor's rings shrink as hops come, so that
   * their sum stays within the sensor's bound); a smaller arena keeps its packets and may grow up
   * to the new limit. Allocates the new arena and copies; not for the capture path.
   */
  public synchronized void resize(int capacityBytes) {
    if (capacityBytes < 64) {
      throw new IllegalArgumentException("capacityBytes must be >= 64, was " + capacityBytes);
    }
    limit = capacityBytes;
    if (arena.length > capacityBytes) {
      relayout(capacityBytes);
    }
  }

  /** A new arena of {@code capacityBytes} holding the newest packets that fit, oldest first. */
  private void relayout(int capacityBytes) {
    List<Packet> kept = snapshot();
    int from = kept.size();
    long bytes = 0;
    while (from > 0 && bytes + recordSize(kept.get(from - 1).data().length) <= capacityBytes) {
      bytes += recordSize(kept.get(--from).data().length);
    }
    arena = new byte[capacityBytes];
    head = tail = count = 0;
    wrap = -1;
    for (Packet p : kept.subList(from, kept.size())) {
      int size = recordSize(p.data().length);
      putLong(tail, p.tsNanos());
      putInt(tail + 8, p.linkType());
      putInt(tail + 12, p.wireLength());
      putInt(tail + 16, p.data().length);
      System.arraycopy(p.data(), 0, arena, tail + HEADER, p.data().length);
      tail += size;
      count++;
    }
  }

  /** The latest capture time the ring was given, or {@link Long#MIN_VALUE} before any packet. */
  public synchronized long newestNanos() {
    return newest;
  }

  /** The capture time of the oldest packet kept, or {@link Long#MIN_VALUE} when none is. */
  public synchronized long oldestNanos() {
    return count == 0 ? Long.MIN_VALUE : tsAt(head);
  }

  /** Packets kept. */
  public synchronized int packets() {
    return count;
  }

  /** Packets not kept because they were larger than the arena. */
  public synchronized long tooLarge() {
    return tooLarge;
  }

  /** The arena's size now: the ring's memory, whatever it holds. */
  public synchronized int capacityBytes() {
    return arena.length;
  }

  /** The largest arena the ring may grow to. */
  public synchronized int limitBytes() {
    return limit;
  }

  private static int recordSize(int capturedLength) {
    return (HEADER + capturedLength + 7) & ~7;
  }

  private long tsAt(int p) {
    return ((long) getInt(p) & 0xFFFFFFFFL) | ((long) getInt(p + 4) << 32);
  }

  private void putLong(int p, long v) {
    putInt(p, (int) v);
    putInt(p + 4, (int) (v >>> 32));
  }

  private void putInt(int p, int v) {
    arena[p] = (byte) v;
    arena[p + 1] = (byte) (v >>> 8);
    arena[p + 2] = (byte) (v >>> 16);
    arena[p + 3] = (byte) (v >>> 24);
  }

  private int getInt(int p) {
    return (arena[p] & 0xFF)
        | (arena[p + 1] & 0xFF) << 8
        | (arena[p + 2] & 0xFF) << 16
        | (arena[p + 3] & 0xFF) << 24;
  }
}
