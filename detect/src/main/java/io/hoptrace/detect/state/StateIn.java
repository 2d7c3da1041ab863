package io.hoptrace.detect.state;

/**
 * Reads what {@link StateOut} wrote, or, for state of the first conversation format ({@link
 * #fullWidth}), timestamps written as plain varints.
 */
public final class StateIn {
  /** The underlying reader, for everything that is not a timestamp. */
  public final ByteReader r;

  /** Timestamps are plain varints (conversation format 1), not relative to {@link #base}. */
  public final boolean fullWidth;

  /** The base of relative timestamps; set once read. */
  public long base;

  public StateIn(ByteReader r, boolean fullWidth) {
    this.r = r;
    this.fullWidth = fullWidth;
  }

  /** Reads a timestamp (ns) or {@code -1}. */
  public long ts() {
    if (fullWidth) {
      return r.varLong();
    }
    long u = r.uvarLong();
    if (u == 0) {
      return -1;
    }
    return ByteReader.unzigzag(u - 1) + base;
  }
}
