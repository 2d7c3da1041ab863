package io.hoptrace.capture;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Objects;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reads a classic pcap stream (what {@code tcpdump -w -} writes) from an {@link InputStream}: one
 * reused byte buffer wrapped by one {@link UnsafeBuffer}, no allocation per packet. Blocks on the
 * stream; {@link #read} returns at end of stream, after {@link #stop()} or on a read error (see
 * {@link #stats()}). Not thread-safe except {@link #stop()} and {@link #packets()}.
 */
public final class CaptureStreamReader implements AutoCloseable {

  /** Default read buffer: holds a few hundred snaplen-256 packets per fill. */
  public static final int DEFAULT_BUFFER_BYTES = 1 << 20;

  private final InputStream in;
  private final HopContext hop;
  private final byte[] data;
  private final UnsafeBuffer buffer;
  private int start;
  private int end;
  private ByteOrder order;
  private long fracToNanos;
  private int linkType;
  private int snaplen;
  private int recordHeaderLength = 16;
  private volatile boolean stopped;
  private volatile long packets;
  private long bytes;
  private boolean truncatedAtEnd;
  private String errorMessage;
  private boolean finished;

  private CaptureStreamReader(InputStream in, HopContext hop, int bufferBytes) {
    this.in = in;
    this.hop = hop;
    this.data = new byte[bufferBytes];
    this.buffer = new UnsafeBuffer(data);
  }

  /**
   * Reads the pcap file header (blocking until it arrives).
   *
   * @throws CaptureFileException if the stream is empty, is not classic pcap, or fails
   */
  public static CaptureStreamReader open(InputStream in, HopContext hop)
      throws CaptureFileException {
    return open(in, hop, DEFAULT_BUFFER_BYTES);
  }

  public static CaptureStreamReader open(InputStream in, HopContext hop, int bufferBytes)
      throws CaptureFileException {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(hop, "hop");
    if (bufferBytes < CaptureFileReader.MAX_CAPLEN + 32) {
      throw new IllegalArgumentException("bufferBytes must hold a maximal record: " + bufferBytes);
    }
    CaptureStreamReader r = new CaptureStreamReader(in, hop, bufferBytes);
    r.readHeader();
    return r;
  }

  private void readHeader() throws CaptureFileException {
    try {
      if (!fill(24)) {
        throw new CaptureFileException(
            end == 0 ? "empty stream" : "truncated pcap header (" + end + " of 24 bytes)");
      }
    } catch (IOException e) {
      throw new CaptureFileException("cannot read pcap stream: " + e.getMessage(), e);
    }
    int big = buffer.getInt(0, ByteOrder.BIG_ENDIAN);
    int magic;
    if (isMagic(big)) {
      order = ByteOrder.BIG_ENDIAN;
      magic = big;
    } else if (isMagic(Integer.reverseBytes(big))) {
      order = ByteOrder.LITTLE_ENDIAN;
      magic = Integer.reverseBytes(big);
    } else {
      throw new CaptureFileException(
          big == CaptureFormat.PCAPNG_SHB
              ? "a pcapng stream: only classic pcap is read from a stream (tcpdump -w - writes"
                  + " it; for a pcapng file give its path)"
              : "not a classic pcap stream (magic 0x" + String.format("%08x", big) + ")");
    }
    fracToNanos = magic == CaptureFormat.PCAP_MAGIC_NS ? 1 : 1000;
    recordHeaderLength = magic == CaptureFormat.PCAP_MAGIC_KUZNETZOV ? 24 : 16;
    snaplen = buffer.getInt(16, order);
    linkType = LinkType.normalize(buffer.getInt(20, order) & 0x03FFFFFF);
    start = 24;
  }

  private static boolean isMagic(int m) {
    return CaptureFormat.isPcapMagic(m);
  }

  /** The stream's link type (normalised). */
  public int linkType() {
    return linkType;
  }

  /** The stream header's snap length. */
  public int snaplen() {
    return snaplen;
  }

  /** Packets delivered so far (safe from any thread). */
  public long packets() {
    return packets;
  }

  /** Makes {@link #read} return after the packet in hand (the stream may still block it). */
  public void stop() {
    stopped = true;
  }

  /** Reads until end of stream, {@link #stop()} or an error; returns packets delivered. */
  public long read(PacketHandler handler) {
    return read(handler, Long.MAX_VALUE);
  }

  /** Reads at most {@code maxPackets}; returns packets delivered by this call. */
  public long read(PacketHandler handler, long maxPackets) {
    Objects.requireNonNull(handler, "handler");
    final int hdr = recordHeaderLength;
    final int snap =
        snaplen <= 0 || snaplen > CaptureFileReader.MAX_CAPLEN
            ? CaptureFileReader.MAX_CAPLEN
            : snaplen;
    long n = 0;
    try {
      while (n < maxPackets && !finished && !stopped) {
        if (!fill(hdr)) {
          endOfStream("record header", hdr);
          break;
        }
        long sec = buffer.getInt(start, order) & 0xFFFFFFFFL;
        long frac = buffer.getInt(start + 4, order) & 0xFFFFFFFFL;
        int capLen = buffer.getInt(start + 8, order);
        int wireLen = buffer.getInt(start + 12, order);
        if (capLen < 0 || capLen > CaptureFileReader.MAX_CAPLEN) {
          fail("invalid packet capture length " + Integer.toUnsignedString(capLen));
          break;
        }
        if (!fill(hdr + capLen)) {
          endOfStream("packet", hdr + capLen);
          break;
        }
        int deliver = capLen > snap ? snap : capLen;
        handler.onPacket(
            hop,
            linkType,
            buffer,
            start + hdr,
            deliver,
            wireLen,
            sec * 1_000_000_000L + frac * fracToNanos);
        start += hdr + capLen;
        bytes += deliver;
        n++;
        packets++;
      }
    } catch (IOException e) {
      fail("read error: " + e.getMessage());
    }
    return n;
  }

  private void endOfStream(String what, int need) {
    finished = true;
    int left = end - start;
    if (left > 0) {
      truncatedAtEnd = true;
      fail("stream ends inside a " + what + " (" + left + " of " + need + "): truncated capture");
    }
  }

  /** Ensures {@code need} bytes from {@code start}; false at end of stream. */
  private boolean fill(int need) throws IOException {
    if (end - start >= need) {
      return true;
    }
    if (start + need > data.length) {
      System.arraycopy(data, start, data, 0, end - start);
      end -= start;
      start = 0;
    }
    while (end - start < need) {
      int r = in.read(data, end, data.length - end);
      if (r < 0) {
        return false;
      }
      end += r;
    }
    return true;
  }

  private void fail(String message) {
    finished = true;
    if (errorMessage == null) {
      errorMessage = message;
    }
  }

  /** What was read so far. */
  public CaptureStats stats() {
    return new CaptureStats(packets, bytes, Map.of(), truncatedAtEnd, errorMessage);
  }

  /** Closes the stream. */
  @Override
  public void close() {
    stopped = true;
    try {
      in.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
