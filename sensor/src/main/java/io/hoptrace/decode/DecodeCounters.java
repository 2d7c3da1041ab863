package io.hoptrace.decode;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Per-status packet counts plus packet and byte totals for one decoder thread. Written by one
 * thread without allocation (opaque stores); read from any thread (e.g. a metrics gauge) with
 * opaque loads, so readers see recent values without tearing.
 */
public final class DecodeCounters {
  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final int PACKETS = DecodeStatus.all().length;
  private static final int BYTES = PACKETS + 1;

  private final long[] counts = new long[DecodeStatus.all().length + 2];

  /** Counts one packet with its status and wire length. Single writer. */
  public void record(DecodeStatus status, int wireLength) {
    inc(status.ordinal(), 1);
    inc(PACKETS, 1);
    inc(BYTES, Math.max(0, wireLength));
  }

  private void inc(int i, long by) {
    LONGS.setOpaque(counts, i, (long) LONGS.getOpaque(counts, i) + by);
  }

  /** Zeroes every count. Call from the writing thread (e.g. between files). */
  public void reset() {
    for (int i = 0; i < counts.length; i++) {
      LONGS.setOpaque(counts, i, 0L);
    }
  }

  /** Packets decoded with the given status. */
  public long count(DecodeStatus status) {
    return (long) LONGS.getOpaque(counts, status.ordinal());
  }

  /** All packets seen. */
  public long packets() {
    return (long) LONGS.getOpaque(counts, PACKETS);
  }

  /** Sum of wire lengths of all packets seen. */
  public long bytes() {
    return (long) LONGS.getOpaque(counts, BYTES);
  }

  /** Packets whose status is not {@link DecodeStatus#isComplete() complete}. */
  public long incomplete() {
    long n = 0;
    for (DecodeStatus s : DecodeStatus.all()) {
      if (!s.isComplete()) {
        n += count(s);
      }
    }
    return n;
  }

  /** Adds the per-status counts (index = {@link DecodeStatus#ordinal()}) into {@code perStatus}. */
  public void addTo(long[] perStatus) {
    for (int i = 0; i < PACKETS && i < perStatus.length; i++) {
      perStatus[i] += (long) LONGS.getOpaque(counts, i);
    }
  }
}
