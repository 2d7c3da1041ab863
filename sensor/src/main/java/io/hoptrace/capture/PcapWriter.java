package io.hoptrace.capture;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Writes a classic little-endian pcap stream (µs or ns timestamps). Not buffered: wrap the stream
 * in a {@link java.io.BufferedOutputStream} for many packets. Not thread-safe.
 */
public final class PcapWriter implements Closeable, Flushable {

  /** Snap length written to the file header. */
  public static final int DEFAULT_SNAPLEN = 262_144;

  private final OutputStream out;
  private final boolean nanos;
  private final byte[] header = new byte[16];
  private long packets;

  /**
   * Writes the file header at once.
   *
   * @param linkType LINKTYPE of every packet (see {@link LinkType})
   * @param nanos true for nanosecond timestamps (magic a1b23c4d), false for microseconds
   */
  public PcapWriter(OutputStream out, int linkType, boolean nanos) throws IOException {
    this(out, linkType, nanos, DEFAULT_SNAPLEN);
  }

  public PcapWriter(OutputStream out, int linkType, boolean nanos, int snaplen) throws IOException {
    this.out = Objects.requireNonNull(out, "out");
    this.nanos = nanos;
    if (snaplen <= 0) {
      throw new IllegalArgumentException("snaplen must be > 0: " + snaplen);
    }
    byte[] h = new byte[24];
    putInt(h, 0, nanos ? CaptureFormat.PCAP_MAGIC_NS : CaptureFormat.PCAP_MAGIC_US);
    h[4] = 2; // version 2.4
    h[6] = 4;
    putInt(h, 16, snaplen);
    putInt(h, 20, linkType);
    out.write(h);
  }

  /**
   * Appends one record.
   *
   * @param tsNanos timestamp, ns since the epoch (truncated to µs unless nanos)
   * @param len captured bytes taken from {@code pkt[off..off+len)}
   * @param wireLen original length on the wire (at least {@code len})
   */
  public void write(long tsNanos, byte[] pkt, int off, int len, int wireLen) throws IOException {
    Objects.checkFromIndexSize(off, len, pkt.length);
    if (wireLen < len) {
      throw new IllegalArgumentException("wireLen " + wireLen + " < captured length " + len);
    }
    long sec = Math.floorDiv(tsNanos, 1_000_000_000L);
    long frac = Math.floorMod(tsNanos, 1_000_000_000L);
    putInt(header, 0, (int) sec);
    putInt(header, 4, (int) (nanos ? frac : frac / 1000));
    putInt(header, 8, len);
    putInt(header, 12, wireLen);
    out.write(header);
    out.write(pkt, off, len);
    packets++;
  }

  /** Appends one whole packet (captured length = wire length). */
  public void write(long tsNanos, byte[] pkt) throws IOException {
    write(tsNanos, pkt, 0, pkt.length, pkt.length);
  }

  /** Records written so far. */
  public long packets() {
    return packets;
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) v;
    b[at + 1] = (byte) (v >>> 8);
    b[at + 2] = (byte) (v >>> 16);
    b[at + 3] = (byte) (v >>> 24);
  }
}
