package io.hoptrace.capture;

import static io.hoptrace.capture.CaptureFormat.BT_CUSTOM;
import static io.hoptrace.capture.CaptureFormat.BT_CUSTOM_NOCOPY;
import static io.hoptrace.capture.CaptureFormat.BT_DSB;
import static io.hoptrace.capture.CaptureFormat.BT_EPB;
import static io.hoptrace.capture.CaptureFormat.BT_IDB;
import static io.hoptrace.capture.CaptureFormat.BT_ISB;
import static io.hoptrace.capture.CaptureFormat.BT_JOURNAL;
import static io.hoptrace.capture.CaptureFormat.BT_NRB;
import static io.hoptrace.capture.CaptureFormat.BT_OPB;
import static io.hoptrace.capture.CaptureFormat.BT_SPB;
import static io.hoptrace.capture.CaptureFormat.PCAPNG_BOM;
import static io.hoptrace.capture.CaptureFormat.PCAPNG_SHB;
import static io.hoptrace.capture.CaptureFormat.PCAP_HEADER_LEN;
import static io.hoptrace.capture.CaptureFormat.PCAP_MAGIC_KUZNETZOV;
import static io.hoptrace.capture.CaptureFormat.PCAP_MAGIC_NS;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reads classic pcap (µs and ns, either byte order) and pcapng (several sections and interfaces,
 * EPB/SPB/OPB) files through a read-only memory map, handing each packet to a {@link PacketHandler}
 * as a slice of one reused {@link UnsafeBuffer}: no copy and no allocation per packet.
 *
 * <p>A gzip-compressed capture is decompressed into a temporary file first. Files up to 2 GiB are
 * mapped whole; larger ones through a sliding window. Bad bytes never throw: a record or block cut
 * by the end of the file ends reading with {@link CaptureStats#truncatedAtEnd()}, a corrupt block
 * length ends it with {@link CaptureStats#errorMessage()}, and in both cases the packets before
 * were delivered. Not thread-safe; {@link #position()} may be polled from another thread for
 * progress.
 */
public final class CaptureFileReader implements AutoCloseable {

  /** Largest captured length accepted, as libpcap (MAXIMUM_SNAPLEN). */
  static final int MAX_CAPLEN = 262_144;

  /**
   * Block lengths above this (16 MiB; a packet block holds at most {@link #MAX_CAPLEN} bytes of
   * packet) that also run past the end of the file are corruption, not a capture cut short.
   */
  static final int MAX_BLOCK_LENGTH = 1 << 24;

  /** Default map window: the largest a single mapping can be. */
  static final long DEFAULT_WINDOW = Integer.MAX_VALUE;

  private static final int PROGRESS_EVERY = 1 << 14;

  /** Container format of the file. */
  public enum Format {
    PCAP,
    PCAPNG
  }

  /** The file as named in messages (for a gzip-compressed capture: the .gz file). */
  private Path file;

  /** The decompressed copy of a gzip-compressed capture when it could not be unlinked at once. */
  private Path decompressed;

  private final FileChannel channel;
  private final long size;
  private final long windowBytes;
  private final HopContext hop;
  private final Format format;
  private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
  private MappedByteBuffer mapped;
  private long windowBase;
  private int windowLength;
  private int pos;
  private volatile long progress;
  private boolean finished;
  private boolean closed;

  // classic pcap
  private ByteOrder order;
  private int recordHeaderLength = 16;
  private long fracToNanos = 1000;
  private int pcapLinkType;
  private int pcapSnaplen;

  // pcapng: every interface ever described, with the index of the current section's first one
  private final PcapngInterfaces interfaces;
  private int sectionFirstInterface;

  // stats
  private long packets;
  private long bytes;
  private final long[] skipped = new long[SkipReason.values().length];
  private boolean truncatedAtEnd;
  private String errorMessage;

  CaptureFileReader(
      Path file,
      FileChannel channel,
      long size,
      long windowBytes,
      HopContext hop,
      Function<CaptureInterface, HopContext> hopForInterface,
      Format format) {
    this.file = file;
    this.channel = channel;
    this.size = size;
    this.windowBytes = windowBytes;
    this.hop = hop;
    this.format = format;
    this.interfaces = new PcapngInterfaces(hop, hopForInterface);
  }

  /**
   * Opens a pcap or pcapng file; every packet is reported with {@code hop}.
   *
   * @throws CaptureFileException with a one-line message when the file is missing, unreadable,
   *     empty, or neither pcap nor pcapng
   */
  public static CaptureFileReader open(Path file, HopContext hop) throws CaptureFileException {
    return open(file, hop, i -> hop, DEFAULT_WINDOW);
  }

  /**
   * Opens a file, choosing each pcapng interface's hop with {@code hopForInterface} (called once
   * per Interface Description Block; classic pcap uses {@code hop}).
   */
  public static CaptureFileReader open(
      Path file, HopContext hop, Function<CaptureInterface, HopContext> hopForInterface)
      throws CaptureFileException {
    return open(file, hop, hopForInterface, DEFAULT_WINDOW);
  }

  /**
   * A hop chooser for multi-interface pcapng files: an interface with an {@code if_name} other than
   * {@code base.iface()} becomes its own hop on the same node and pod, its role from {@code roles};
   * unnamed interfaces use {@code base}.
   */
  public static Function<CaptureInterface, HopContext> hopPerInterfaceName(
      HopContext base, InterfaceRoles roles) {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(roles, "roles");
    return i ->
        i.name() == null || i.name().isBlank() || i.name().equals(base.iface())
            ? base
            : new HopContext(base.node(), base.pod(), i.name(), roles.roleOf(i.name()));
  }

  static CaptureFileReader open(
      Path file,
      HopContext hop,
      Function<CaptureInterface, HopContext> hopForInterface,
      long windowBytes)
      throws CaptureFileException {
    return CaptureFileOpener.open(file, hop, hopForInterface, windowBytes);
  }

  /** Maps the start of the file and reads its header; closes this reader when that fails. */
  void begin() throws CaptureFileException {
    try {
      map(0);
      if (format == Format.PCAP) {
        readPcapHeader();
      } else {
        checkFirstSection();
      }
    } catch (IOException e) {
      close();
      throw new CaptureFileException(file + ": cannot read (" + e.getMessage() + ")", e);
    } catch (CaptureFileException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * Messages name {@code shownAs} (a gzip-compressed capture read from its decompressed copy);
   * {@code leftover}, when not null, is deleted on {@link #close()}.
   */
  void nameAs(Path shownAs, Path leftover) {
    this.file = shownAs;
    this.decompressed = leftover;
  }

  private void readPcapHeader() throws CaptureFileException {
    if (size < PCAP_HEADER_LEN) {
      throw new CaptureFileException(
          file + ": truncated pcap file header (" + size + " of 24 bytes)");
    }
    int magic = buffer.getInt(0, ByteOrder.BIG_ENDIAN);
    order = CaptureFormat.isPcapMagic(magic) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    magic = buffer.getInt(0, order);
    fracToNanos = magic == PCAP_MAGIC_NS ? 1 : 1000;
    recordHeaderLength = magic == PCAP_MAGIC_KUZNETZOV ? 24 : 16;
    int snap = buffer.getInt(16, order);
    pcapSnaplen = snap;
    // LT_LINKTYPE: the upper bits may carry FCS information
    pcapLinkType = LinkType.normalize(buffer.getInt(20, order) & 0x03FFFFFF);
    interfaces.addClassic(new CaptureInterface(pcapLinkType, Math.max(0, snap), null));
    pos = PCAP_HEADER_LEN;
    progress = pos;
  }

  private void checkFirstSection() throws CaptureFileException {
    if (size < 28) {
      throw new CaptureFileException(
          file + ": truncated pcapng section header (" + size + " bytes)");
    }
    int bom = buffer.getInt(8, ByteOrder.BIG_ENDIAN);
    if (bom != PCAPNG_BOM && Integer.reverseBytes(bom) != PCAPNG_BOM) {
      throw new CaptureFileException(
          file
              + ": broken pcapng section header (byte-order magic 0x"
              + Integer.toHexString(bom)
              + ")");
    }
    pos = 0;
    progress = 0;
  }

  /** The container format. */
  public Format format() {
    return format;
  }

  /** The file's size in bytes. */
  public long sizeBytes() {
    return size;
  }

  /** Bytes consumed so far (updated every few thousand packets; safe to poll from any thread). */
  public long position() {
    return progress;
  }

  /** The interfaces described so far (classic pcap: one; pcapng: grows while reading). */
  public List<CaptureInterface> interfaces() {
    return interfaces.list();
  }

  /** A snapshot of what was read so far. */
  public CaptureStats stats() {
    Map<SkipReason, Long> m = new EnumMap<>(SkipReason.class);
    for (SkipReason r : SkipReason.values()) {
      if (skipped[r.ordinal()] > 0) {
        m.put(r, skipped[r.ordinal()]);
      }
    }
    return new CaptureStats(packets, bytes, m, truncatedAtEnd, errorMessage);
  }

  /** Reads every remaining packet; returns how many were delivered by this call. */
  public long read(PacketHandler handler) {
    return read(handler, Long.MAX_VALUE);
  }

  /**
   * Reads up to {@code maxPackets} packets; returns how many were delivered. Returns 0 once the
   * file is exhausted (or reading stopped on an error, see {@link #stats()}).
   */
  public long read(PacketHandler handler, long maxPackets) {
    Objects.requireNonNull(handler, "handler");
    if (closed) {
      throw new IllegalStateException("reader is closed");
    }
    if (finished || maxPackets <= 0) {
      return 0;
    }
    long n =
        format == Format.PCAP ? readPcap(handler, maxPackets) : readPcapng(handler, maxPackets);
    progress = windowBase + pos;
    return n;
  }

  // ---------------------------------------------------------------- classic pcap

  private long readPcap(PacketHandler handler, long maxPackets) {
    final UnsafeBuffer b = buffer;
    final ByteOrder o = order;
    final int hdr = recordHeaderLength;
    final long fracMul = fracToNanos;
    final int linkType = pcapLinkType;
    final int snap = pcapSnaplen <= 0 || pcapSnaplen > MAX_CAPLEN ? MAX_CAPLEN : pcapSnaplen;
    final HopContext h = hop;
    int p = pos;
    int limit = windowLength;
    long n = 0;
    long byteCount = 0;
    while (n < maxPackets) {
      // every bounds check is written as "need > room" so that no sum of offsets can overflow
      if (hdr > limit - p) {
        if (!ensure(p, hdr, "record header")) {
          break;
        }
        p = pos;
        limit = windowLength;
      }
      long sec = b.getInt(p, o) & 0xFFFFFFFFL;
      long frac = b.getInt(p + 4, o) & 0xFFFFFFFFL;
      int capLen = b.getInt(p + 8, o);
      int wireLen = b.getInt(p + 12, o);
      if (capLen < 0 || capLen > MAX_CAPLEN) {
        fail(
            "invalid packet capture length "
                + Integer.toUnsignedString(capLen)
                + " at offset "
                + (windowBase + p));
        break;
      }
      int data = p + hdr;
      if (capLen > limit - data) {
        if (!ensure(p, hdr + capLen, "packet")) {
          break;
        }
        p = pos;
        limit = windowLength;
        data = p + hdr;
      }
      int deliver = capLen > snap ? snap : capLen;
      handler.onPacket(
          h, linkType, b, data, deliver, wireLen, sec * 1_000_000_000L + frac * fracMul);
      byteCount += deliver;
      p = data + capLen;
      pos = p;
      if ((++n & (PROGRESS_EVERY - 1)) == 0) {
        progress = windowBase + p;
      }
    }
    pos = p;
    packets += n;
    bytes += byteCount;
    return n;
  }

  // ---------------------------------------------------------------- pcapng

  private long readPcapng(PacketHandler handler, long maxPackets) {
    final UnsafeBuffer b = buffer;
    int p = pos;
    long n = 0;
    while (n < maxPackets) {
      if (12 > windowLength - p) {
        if (!ensure(p, 12, "block header")) {
          break;
        }
        p = pos;
      }
      int type = b.getInt(p, order == null ? ByteOrder.BIG_ENDIAN : order);
      if (type == PCAPNG_SHB) {
        int bom = b.getInt(p + 8, ByteOrder.BIG_ENDIAN);
        if (bom == PCAPNG_BOM) {
          order = ByteOrder.BIG_ENDIAN;
        } else if (Integer.reverseBytes(bom) == PCAPNG_BOM) {
          order = ByteOrder.LITTLE_ENDIAN;
        } else {
          fail(
              "broken pcapng section header at offset "
                  + (windowBase + p)
                  + " (bad byte-order magic)");
          break;
        }
      } else if (order == null) {
        fail("pcapng file does not start with a section header block");
        break;
      }
      final ByteOrder o = order;
      int len = b.getInt(p + 4, o);
      if (len < 12 || (len & 3) != 0) {
        fail(
            "broken pcapng block length "
                + Integer.toUnsignedString(len)
                + " at offset "
                + (windowBase + p));
        break;
      }
      if (len > MAX_BLOCK_LENGTH && len > size - (windowBase + p)) {
        // not a block cut by the end of the file: a length no capture writes, past the end
        fail(
            "broken pcapng block length "
                + len
                + " at offset "
                + (windowBase + p)
                + " (past the end of the file, "
                + size
                + " bytes)");
        break;
      }
      if (len > windowLength - p) {
        if (!ensure(p, len, "block")) {
          break;
        }
        p = pos;
      }
      int trailer = b.getInt(p + len - 4, o);
      if (trailer != len) {
        fail(
            "broken pcapng block at offset "
                + (windowBase + p)
                + ": length "
                + len
                + " but trailing length "
                + Integer.toUnsignedString(trailer));
        break;
      }
      switch (type) {
        case BT_EPB -> {
          if (len < 32) {
            skip(SkipReason.BAD_PACKET_LENGTH);
            break;
          }
          int ifc = sectionFirstInterface + b.getInt(p + 8, o);
          long units =
              ((b.getInt(p + 12, o) & 0xFFFFFFFFL) << 32) | (b.getInt(p + 16, o) & 0xFFFFFFFFL);
          int capLen = b.getInt(p + 20, o);
          int wireLen = b.getInt(p + 24, o);
          if (deliver(handler, ifc, p + 28, capLen, wireLen, units, len - 32)) {
            n++;
          }
        }
        case BT_SPB -> {
          if (len < 16) {
            skip(SkipReason.BAD_PACKET_LENGTH);
            break;
          }
          int ifc = sectionFirstInterface;
          int wireLen = b.getInt(p + 8, o);
          int room = len - 16;
          int capLen = Integer.compareUnsigned(wireLen, room) < 0 ? wireLen : room;
          int snaplen = ifc < interfaces.size() ? interfaces.snaplen(ifc) : 0;
          if (snaplen > 0 && capLen > snaplen) {
            capLen = snaplen;
          }
          // an SPB carries no timestamp
          if (deliverSimple(handler, ifc, p + 12, capLen, wireLen)) {
            n++;
          }
        }
        case BT_OPB -> {
          if (len < 32) {
            skip(SkipReason.BAD_PACKET_LENGTH);
            break;
          }
          int ifc = sectionFirstInterface + (b.getShort(p + 8, o) & 0xFFFF);
          long units =
              ((b.getInt(p + 12, o) & 0xFFFFFFFFL) << 32) | (b.getInt(p + 16, o) & 0xFFFFFFFFL);
          int capLen = b.getInt(p + 20, o);
          int wireLen = b.getInt(p + 24, o);
          if (deliver(handler, ifc, p + 28, capLen, wireLen, units, len - 32)) {
            n++;
          }
        }
        case BT_IDB -> {
          if (!interfaces.add(b, p, len, o)) {
            skip(SkipReason.BAD_PACKET_LENGTH);
          }
        }
        case PCAPNG_SHB -> sectionFirstInterface = interfaces.size();
        case BT_NRB -> skip(SkipReason.NAME_RESOLUTION);
        case BT_ISB -> skip(SkipReason.INTERFACE_STATISTICS);
        case BT_DSB -> skip(SkipReason.DECRYPTION_SECRETS);
        case BT_CUSTOM, BT_CUSTOM_NOCOPY, BT_JOURNAL -> skip(SkipReason.CUSTOM);
        default -> skip(SkipReason.UNKNOWN_BLOCK_TYPE);
      }
      p += len;
      pos = p;
      if ((n & (PROGRESS_EVERY - 1)) == 0) {
        progress = windowBase + p;
      }
    }
    pos = p;
    return n;
  }

  private boolean deliver(
      PacketHandler handler, int ifc, int data, int capLen, int wireLen, long units, int room) {
    if (ifc < sectionFirstInterface || ifc >= interfaces.size()) {
      skip(SkipReason.UNKNOWN_INTERFACE);
      return false;
    }
    if (capLen < 0 || capLen > room) {
      skip(SkipReason.BAD_PACKET_LENGTH);
      return false;
    }
    handler.onPacket(
        interfaces.hop(ifc),
        interfaces.linkType(ifc),
        buffer,
        data,
        capLen,
        wireLen,
        interfaces.nanos(ifc, units));
    packets++;
    bytes += capLen;
    return true;
  }

  private boolean deliverSimple(PacketHandler handler, int ifc, int data, int capLen, int wireLen) {
    if (ifc >= interfaces.size()) {
      skip(SkipReason.UNKNOWN_INTERFACE);
      return false;
    }
    handler.onPacket(
        interfaces.hop(ifc), interfaces.linkType(ifc), buffer, data, capLen, wireLen, 0L);
    packets++;
    bytes += capLen;
    return true;
  }

  private void skip(SkipReason reason) {
    skipped[reason.ordinal()]++;
  }

  // ---------------------------------------------------------------- mapping

  /**
   * Makes {@code need} bytes from window offset {@code p} available, sliding the window if the file
   * goes on. Records why reading must stop and returns false otherwise.
   */
  private boolean ensure(int p, int need, String what) {
    long at = windowBase + p;
    long left = size - at;
    if (left <= 0) {
      finished = true;
      return false;
    }
    if (left < need) {
      truncatedAtEnd = true;
      fail(
          "file ends inside a "
              + what
              + " at offset "
              + at
              + " ("
              + left
              + " of "
              + need
              + " bytes present): truncated capture");
      return false;
    }
    if (need > windowBytes) {
      fail(what + " of " + need + " bytes at offset " + at + " is larger than the map window");
      return false;
    }
    try {
      map(at);
    } catch (IOException e) {
      fail("cannot map " + file + " at offset " + at + ": " + e.getMessage());
      return false;
    }
    return true;
  }

  private void map(long at) throws IOException {
    long len = Math.min(windowBytes, size - at);
    MappedByteBuffer next = channel.map(FileChannel.MapMode.READ_ONLY, at, len);
    MappedByteBuffer previous = mapped;
    mapped = next;
    buffer.wrap(next, 0, (int) len);
    windowBase = at;
    windowLength = (int) len;
    pos = 0;
    if (previous != null) {
      IoUtil.unmap(previous);
    }
  }

  private void fail(String message) {
    finished = true;
    if (errorMessage == null) {
      errorMessage = message;
    }
  }

  /** Unmaps the file and closes it. Buffers handed out earlier become invalid. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    buffer.wrap(new byte[0]);
    if (mapped != null) {
      IoUtil.unmap(mapped);
      mapped = null;
    }
    CaptureFileOpener.closeQuietly(channel);
    if (decompressed != null) {
      CaptureFileOpener.deleteQuietly(decompressed);
    }
  }
}
