package io.hoptrace.capture;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
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

  private static final int PCAP_MAGIC_US = 0xa1b2c3d4;
  private static final int PCAP_MAGIC_NS = 0xa1b23c4d;
  private static final int PCAP_MAGIC_KUZNETZOV = 0xa1b2cd34;
  private static final int PCAPNG_SHB = 0x0A0D0D0A;
  private static final int PCAPNG_BOM = 0x1A2B3C4D;
  private static final int PCAP_HEADER_LEN = 24;
  private static final int GZIP_MAGIC = 0x1f8b;

  private static final int BT_IDB = 0x00000001;
  private static final int BT_OPB = 0x00000002;
  private static final int BT_SPB = 0x00000003;
  private static final int BT_NRB = 0x00000004;
  private static final int BT_ISB = 0x00000005;
  private static final int BT_EPB = 0x00000006;
  private static final int BT_JOURNAL = 0x00000009;
  private static final int BT_DSB = 0x0000000A;
  private static final int BT_CUSTOM = 0x00000BAD;
  private static final int BT_CUSTOM_NOCOPY = 0x40000BAD;

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
  private final Function<CaptureInterface, HopContext> hopForInterface;
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
  private final List<CaptureInterface> interfaces = new ArrayList<>();
  private int sectionFirstInterface;
  private int[] ifLinkType = new int[4];
  private int[] ifSnaplen = new int[4];
  private long[] ifTsMul = new long[4];
  private long[] ifTsDiv = new long[4];
  private int[] ifTsShift = new int[4];
  private long[] ifTsOffsetNanos = new long[4];
  private HopContext[] ifHop = new HopContext[4];

  // stats
  private long packets;
  private long bytes;
  private final long[] skipped = new long[SkipReason.values().length];
  private boolean truncatedAtEnd;
  private String errorMessage;

  private CaptureFileReader(
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
    this.hopForInterface = hopForInterface;
    this.format = format;
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
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(hop, "hop");
    Objects.requireNonNull(hopForInterface, "hopForInterface");
    if (windowBytes < 4096 || windowBytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("windowBytes must be in [4096, 2^31-1]: " + windowBytes);
    }
    if (Files.isDirectory(file)) {
      throw new CaptureFileException(file + ": is a directory");
    }
    FileChannel ch;
    long size;
    try {
      ch = FileChannel.open(file, StandardOpenOption.READ);
      size = ch.size();
    } catch (NoSuchFileException e) {
      throw new CaptureFileException(file + ": no such file");
    } catch (AccessDeniedException e) {
      throw new CaptureFileException(file + ": permission denied");
    } catch (IOException e) {
      throw new CaptureFileException(file + ": cannot read (" + e.getMessage() + ")", e);
    }
    try {
      if (size == 0) {
        throw new CaptureFileException(file + ": empty file");
      }
      if (size < 4) {
        throw new CaptureFileException(
            file + ": not a pcap or pcapng file (only " + size + " bytes)");
      }
      java.nio.ByteBuffer head = java.nio.ByteBuffer.allocate(4);
      while (head.hasRemaining() && ch.read(head, head.position()) > 0) {
        // read the magic
      }
      int magicBig = head.getInt(0);
      int magicLittle = Integer.reverseBytes(magicBig);
      if ((magicBig >>> 16) == GZIP_MAGIC) {
        closeQuietly(ch);
        return openGzip(file, hop, hopForInterface, windowBytes);
      }
      Format format;
      if (magicBig == PCAPNG_SHB) {
        format = Format.PCAPNG;
      } else if (isPcapMagic(magicBig) || isPcapMagic(magicLittle)) {
        format = Format.PCAP;
      } else {
        throw new CaptureFileException(
            file + ": not a pcap or pcapng file (magic 0x" + String.format("%08x", magicBig) + ")");
      }
      CaptureFileReader r =
          new CaptureFileReader(file, ch, size, windowBytes, hop, hopForInterface, format);
      try {
        r.map(0);
        if (format == Format.PCAP) {
          r.readPcapHeader();
        } else {
          r.checkFirstSection();
        }
      } catch (CaptureFileException | RuntimeException e) {
        r.close();
        throw e;
      }
      return r;
    } catch (CaptureFileException e) {
      closeQuietly(ch);
      throw e;
    } catch (IOException e) {
      closeQuietly(ch);
      throw new CaptureFileException(file + ": cannot read (" + e.getMessage() + ")", e);
    }
  }

  /**
   * A gzip-compressed capture ({@code tcpdump -w - | gzip}, {@code .pcap.gz}): decompressed into a
   * temporary file that is read like any other (and unlinked at once, or at {@link #close()});
   * messages name the compressed file.
   */
  private static CaptureFileReader openGzip(
      Path file,
      HopContext hop,
      Function<CaptureInterface, HopContext> hopForInterface,
      long windowBytes)
      throws CaptureFileException {
    Path plain;
    try {
      plain = Files.createTempFile("hoptrace-gunzip-", ".cap");
    } catch (IOException e) {
      throw new CaptureFileException(
          file
              + ": gzip-compressed, and no temporary file to decompress it into ("
              + e.getMessage()
              + "); gunzip it first",
          e);
    }
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
      Files.copy(in, plain, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      deleteQuietly(plain);
      throw new CaptureFileException(
          file + ": gzip-compressed but cannot be decompressed (" + e.getMessage() + ")", e);
    }
    CaptureFileReader r;
    try {
      r = open(plain, hop, hopForInterface, windowBytes);
    } catch (CaptureFileException e) {
      deleteQuietly(plain);
      throw new CaptureFileException(
          e.getMessage().replace(plain.toString(), file + " (gzip-decompressed)"), e);
    }
    r.file = file;
    try {
      Files.delete(plain); // mapped and open: the data stays readable until close
    } catch (IOException e) {
      r.decompressed = plain;
    }
    return r;
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // a temporary file left behind
    }
  }

  private static boolean isPcapMagic(int m) {
    return m == PCAP_MAGIC_US || m == PCAP_MAGIC_NS || m == PCAP_MAGIC_KUZNETZOV;
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException ignored) {
      // nothing more to do
    }
  }

  private void readPcapHeader() throws CaptureFileException {
    if (size < PCAP_HEADER_LEN) {
      throw new CaptureFileException(
          file + ": truncated pcap file header (" + size + " of 24 bytes)");
    }
    int magic = buffer.getInt(0, ByteOrder.BIG_ENDIAN);
    order = isPcapMagic(magic) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    magic = buffer.getInt(0, order);
    fracToNanos = magic == PCAP_MAGIC_NS ? 1 : 1000;
    recordHeaderLength = magic == PCAP_MAGIC_KUZNETZOV ? 24 : 16;
    int snap = buffer.getInt(16, order);
    pcapSnaplen = snap;
    // LT_LINKTYPE: the upper bits may carry FCS information
    pcapLinkType = LinkType.normalize(buffer.getInt(20, order) & 0x03FFFFFF);
    interfaces.add(new CaptureInterface(pcapLinkType, Math.max(0, snap), null));
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
    return List.copyOf(interfaces);
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
          if (ifc < interfaces.size() && ifSnaplen[ifc] > 0 && capLen > ifSnaplen[ifc]) {
            capLen = ifSnaplen[ifc];
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
        case BT_IDB -> readInterface(p, len, o);
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
    long ts;
    int shift = ifTsShift[ifc];
    if (shift > 0) {
      long secs = units >>> shift;
      long frac = units & ((1L << shift) - 1);
      if (shift > 33) {
        frac >>>= shift - 33;
        ts = secs * 1_000_000_000L + ((frac * 1_000_000_000L) >>> 33);
      } else {
        ts = secs * 1_000_000_000L + ((frac * 1_000_000_000L) >>> shift);
      }
    } else {
      ts = units * ifTsMul[ifc] / ifTsDiv[ifc];
    }
    handler.onPacket(
        ifHop[ifc], ifLinkType[ifc], buffer, data, capLen, wireLen, ts + ifTsOffsetNanos[ifc]);
    packets++;
    bytes += capLen;
    return true;
  }

  private boolean deliverSimple(PacketHandler handler, int ifc, int data, int capLen, int wireLen) {
    if (ifc >= interfaces.size()) {
      skip(SkipReason.UNKNOWN_INTERFACE);
      return false;
    }
    handler.onPacket(ifHop[ifc], ifLinkType[ifc], buffer, data, capLen, wireLen, 0L);
    packets++;
    bytes += capLen;
    return true;
  }

  private void readInterface(int p, int len, ByteOrder o) {
    if (len < 20) {
      skip(SkipReason.BAD_PACKET_LENGTH);
      return;
    }
    int linkType = LinkType.normalize(b16(p + 8, o));
    int snaplen = buffer.getInt(p + 12, o);
    String name = null;
    String description = null;
    int tsresol = 6;
    long tsoffset = 0;
    int opt = p + 16;
    int end = p + len - 4;
    while (opt + 4 <= end) {
      int code = b16(opt, o);
      int optLen = b16(opt + 2, o);
      int value = opt + 4;
      if (code == 0 || value + optLen > end) {
        break;
      }
      if (code == 2 && optLen > 0) {
        name = optionText(value, optLen);
      } else if (code == 3 && optLen > 0) {
        description = optionText(value, optLen);
      } else if (code == 9 && optLen >= 1) {
        tsresol = buffer.getByte(value) & 0xFF;
      } else if (code == 14 && optLen >= 8) {
        tsoffset = buffer.getLong(value, o);
      }
      opt = value + ((optLen + 3) & ~3);
    }
    CaptureInterface ci = new CaptureInterface(linkType, Math.max(0, snaplen), name, description);
    int i = interfaces.size();
    interfaces.add(ci);
    if (i >= ifLinkType.length) {
      int cap = ifLinkType.length * 2;
      ifLinkType = Arrays.copyOf(ifLinkType, cap);
      ifSnaplen = Arrays.copyOf(ifSnaplen, cap);
      ifTsMul = Arrays.copyOf(ifTsMul, cap);
      ifTsDiv = Arrays.copyOf(ifTsDiv, cap);
      ifTsShift = Arrays.copyOf(ifTsShift, cap);
      ifTsOffsetNanos = Arrays.copyOf(ifTsOffsetNanos, cap);
      ifHop = Arrays.copyOf(ifHop, cap);
    }
    ifLinkType[i] = linkType;
    ifSnaplen[i] = Math.max(0, snaplen);
    ifTsOffsetNanos[i] = tsoffset * 1_000_000_000L;
    ifTsShift[i] = 0;
    ifTsMul[i] = 1;
    ifTsDiv[i] = 1;
    if ((tsresol & 0x80) != 0) {
      int shift = tsresol & 0x7F;
      if (shift == 0) {
        ifTsMul[i] = 1_000_000_000L;
      } else {
        ifTsShift[i] = Math.min(shift, 63);
      }
    } else if (tsresol <= 9) {
      ifTsMul[i] = pow10(9 - tsresol);
    } else {
      ifTsDiv[i] = pow10(Math.min(tsresol - 9, 18));
    }
    HopContext h = hopForInterface.apply(ci);
    ifHop[i] = h == null ? hop : h;
  }

  /** A UTF-8 option value, up to its first NUL (writers may terminate strings). */
  private String optionText(int value, int optLen) {
    byte[] raw = new byte[optLen];
    buffer.getBytes(value, raw);
    int z = 0;
    while (z < raw.length && raw[z] != 0) {
      z++;
    }
    return new String(raw, 0, z, StandardCharsets.UTF_8);
  }

  private int b16(int index, ByteOrder o) {
    return buffer.getShort(index, o) & 0xFFFF;
  }

  private static long pow10(int e) {
    long r = 1;
    for (int i = 0; i < e; i++) {
      r *= 10;
    }
    return r;
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
    closeQuietly(channel);
    if (decompressed != null) {
      deleteQuietly(decompressed);
    }
  }
}
