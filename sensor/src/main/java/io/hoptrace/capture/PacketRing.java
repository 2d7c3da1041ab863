package io.hoptrace.capture;

import java.util.ArrayList;
import java.util.List;
import org.agrona.DirectBuffer;

/**
 * The last packets of one hop, as captured (headers only: the capture's snap length), in a fixed
 * byte arena: memory is {@code capacityBytes} whatever the traffic. A packet older than {@code
 * maxAgeNanos} before the newest one is forgotten, and so is the oldest packet when a new one needs
 * its room. Adding copies the bytes into the arena and allocates nothing. One writer (the hop's
 * capture thread) and any number of readers ({@link #snapshot}): both take the ring's lock, which
 * the writer holds for one copy only.
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
  private final long maxAgeNanos;
  // the records live in [head, tail) while wrap < 0, else in [head, wrap) then [0, tail)
  private int head;
  private int tail;
  private int wrap = -1;
  private int count;
  private long tooLarge;
  private long newest = Long.MIN_VALUE;

  /**
   * @param capacityBytes the arena's size (records take 20 bytes plus the packet, padded to 8)
   * @param maxAgeNanos how long a packet is kept after a newer one arrives
   */
  public PacketRing(int capacityBytes, long maxAgeNanos) {
    if (capacityBytes < 64) {
      throw new IllegalArgumentException("capacityBytes must be >= 64, was " + capacityBytes);
    }
    if (maxAgeNanos <= 0) {
      throw new IllegalArgumentException("maxAgeNanos must be > 0, was " + maxAgeNanos);
    }
    this.arena = new byte[capacityBytes];
    this.maxAgeNanos = maxAgeNanos;
  }

  /**
   * Keeps one packet (a packet larger than the whole arena is counted in {@link #tooLarge()} and
   * not kept).
   */
  public synchronized void add(
      int linkType, DirectBuffer buffer, int offset, int capturedLength, int wireLength, long ts) {
    int size = recordSize(capturedLength);
    if (ts > newest) {
      newest = ts;
    }
    if (size > arena.length) {
      tooLarge++;
      return;
    }
    while (count > 0 && tsAt(head) < ts - maxAgeNanos) {
      evict();
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

  /**
   * Gives the ring a new arena of {@code capacityBytes}, keeping the newest packets that fit (the
   * sensor's rings shrink as hops come, so that their sum stays within the sensor's bound).
   * Allocates the new arena and copies; not for the capture path.
   */
  public synchronized void resize(int capacityBytes) {
    if (capacityBytes < 64) {
      throw new IllegalArgumentException("capacityBytes must be >= 64, was " + capacityBytes);
    }
    if (capacityBytes == arena.length) {
      return;
    }
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

  /** The arena's size: the ring's memory, whatever it holds. */
  public synchronized int capacityBytes() {
    return arena.length;
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
