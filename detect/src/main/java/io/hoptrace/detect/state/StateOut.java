package io.hoptrace.detect.state;

/**
 * A {@link ByteWriter} that writes timestamps relative to a base (a conversation's first sighting):
 * {@code -1} ("none") is one 0 byte, {@code base + d} is zigzag(d) + 1 as an unsigned varint.
 */
public final class StateOut {
  /** The underlying writer, for everything that is not a timestamp. */
  public final ByteWriter w;

  private final long base;

  public StateOut(ByteWriter w, long base) {
    this.w = w;
    this.base = base;
  }

  /** Writes a timestamp (ns) or {@code -1}. */
  public StateOut ts(long v) {
    if (v == -1) {
      w.uvarLong(0);
      return this;
    }
    long zz = ByteWriter.zigzag(v - base);
    if (zz == -1L) {
      throw new IllegalStateException("timestamp " + v + " out of range for base " + base);
    }
    w.uvarLong(zz + 1);
    return this;
  }
}
