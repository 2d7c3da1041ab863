package io.hoptrace.capture;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Writes a pcapng stream (draft-ietf-opsawg-pcapng): one Section Header Block, Interface
 * Description Blocks with a name and a description, and Enhanced Packet Blocks with nanosecond
 * timestamps; little-endian. {@link CaptureFileReader}, libpcap, tshark and Wireshark read it. Not
 * buffered: wrap the stream in a {@link java.io.BufferedOutputStream}. Not thread-safe.
 *
 * <p>An interface may be added at any point: it must only come before the first packet that names
 * it, so interfaces can be declared as the hops they stand for show up.
 *
 * <p>Every block is framed by its total length, and options are (code, length, value padded to 32
 * bits), closed by {@code opt_endofopt}:
 *
 * <pre>
 * Section Header Block (written once, by the constructor)
 *  0 | Block Type = 0x0A0D0D0A                          |
 *  4 | Block Total Length                               |
 *  8 | Byte-Order Magic = 0x1A2B3C4D                    |
 * 12 | Major Version = 1       | Minor Version = 0      |
 * 16 | Section Length = -1 (not given), 64 bits         |
 * 24 | Options: shb_userappl (4) = "hoptrace", end      |
 *    | Block Total Length                               |
 *
 * Interface Description Block (one per {@link #addInterface}; ids count from 0 in that order)
 *  0 | Block Type = 0x00000001                          |
 *  4 | Block Total Length                               |
 *  8 | LinkType                | Reserved = 0           |
 * 12 | SnapLen                                          |
 * 16 | Options: if_name (2), if_description (3),        |
 *    |          if_tsresol (9) = 9 (nanoseconds), end   |
 *    | Block Total Length                               |
 *
 * Enhanced Packet Block (one per {@link #write})
 *  0 | Block Type = 0x00000006                          |
 *  4 | Block Total Length                               |
 *  8 | Interface ID                                     |
 * 12 | Timestamp (upper 32 bits), ns since the epoch     |
 * 16 | Timestamp (lower 32 bits)                        |
 * 20 | Captured Packet Length                           |
 * 24 | Original Packet Length                           |
 * 28 | Packet Data, padded to 32 bits                   |
 *    | Block Total Length                               |
 * </pre>
 */
public final class PcapngWriter implements Closeable, Flushable {

  /** Snap length written to each Interface Description Block (libpcap's maximum). */
  public static final int SNAPLEN = CaptureFileReader.MAX_CAPLEN;

  static final short OPT_END = 0;
  static final short SHB_USERAPPL = 4;
  static final short IF_NAME = 2;
  static final short IF_DESCRIPTION = 3;
  static final short IF_TSRESOL = 9;
  private static final int MAX_OPTION = 0xFFFF;

  private final OutputStream out;
  private ByteBuffer block = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
  private int interfaces;
  private long packets;

  /** Writes the Section Header Block at once. */
  public PcapngWriter(OutputStream out) throws IOException {
    this.out = Objects.requireNonNull(out, "out");
    begin(CaptureFormat.PCAPNG_SHB, 64);
    block.putInt(CaptureFormat.PCAPNG_BOM);
    block.putShort((short) 1).putShort((short) 0);
    block.putLong(-1L);
    option(SHB_USERAPPL, "hoptrace");
    endOptions();
    finish();
  }

  /**
   * Declares an interface (an Interface Description Block) with nanosecond timestamps.
   *
   * @param linkType the LINKTYPE of its packets (see {@link LinkType})
   * @param name its {@code if_name} (null or empty: none)
   * @param description its {@code if_description} (null or empty: none)
   * @return its interface id, for {@link #write}
   */
  public int addInterface(int linkType, String name, String description) throws IOException {
    if (linkType < 0 || linkType > 0xFFFF) {
      throw new IllegalArgumentException("linkType must fit in 16 bits: " + linkType);
    }
    begin(CaptureFormat.BT_IDB, 64 + length(name) + length(description));
    block.putShort((short) linkType).putShort((short) 0);
    block.putInt(SNAPLEN);
    option(IF_NAME, name);
    option(IF_DESCRIPTION, description);
    block.putShort(IF_TSRESOL).putShort((short) 1).put((byte) 9).put(new byte[3]);
    endOptions();
    finish();
    return interfaces++;
  }

  /**
   * Appends one packet (an Enhanced Packet Block).
   *
   * @param iface an id returned by {@link #addInterface}
   * @param tsNanos capture time, ns since the epoch
   * @param len captured bytes taken from {@code pkt[off..off+len)}
   * @param wireLen the packet's length on the wire (at least {@code len})
   */
  public void write(int iface, long tsNanos, byte[] pkt, int off, int len, int wireLen)
      throws IOException {
    if (iface < 0 || iface >= interfaces) {
      throw new IllegalArgumentException(
          "no interface " + iface + " (" + interfaces + " declared)");
    }
    Objects.checkFromIndexSize(off, len, pkt.length);
    if (wireLen < len) {
      throw new IllegalArgumentException("wireLen " + wireLen + " < captured length " + len);
    }
    begin(CaptureFormat.BT_EPB, 32 + pad(len));
    block.putInt(iface);
    block.putInt((int) (tsNanos >>> 32)).putInt((int) tsNanos);
    block.putInt(len).putInt(wireLen);
    block.put(pkt, off, len);
    block.put(new byte[pad(len) - len]);
    finish();
    packets++;
  }

  /** Interfaces declared so far. */
  public int interfaces() {
    return interfaces;
  }

  /** Packets written so far. */
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

  // ---------------------------------------------------------------- blocks and options

  private void begin(int type, int capacity) {
    if (block.capacity() < capacity) {
      block = ByteBuffer.allocate(Math.max(capacity, 2 * block.capacity()));
      block.order(ByteOrder.LITTLE_ENDIAN);
    }
    block.clear();
    block.putInt(type).putInt(0); // the length is set by finish()
  }

  private void finish() throws IOException {
    int total = block.position() + 4;
    block.putInt(total);
    block.putInt(4, total);
    out.write(block.array(), 0, total);
  }

  private void option(short code, String value) {
    if (value == null || value.isEmpty()) {
      return;
    }
    byte[] v = value.getBytes(StandardCharsets.UTF_8);
    if (v.length > MAX_OPTION) {
      throw new IllegalArgumentException("option " + code + " longer than 65535 bytes");
    }
    block.putShort(code).putShort((short) v.length).put(v).put(new byte[pad(v.length) - v.length]);
  }

  private void endOptions() {
    block.putShort(OPT_END).putShort((short) 0);
  }

  private static int length(String s) {
    return s == null ? 0 : pad(s.getBytes(StandardCharsets.UTF_8).length) + 4;
  }

  private static int pad(int n) {
    return (n + 3) & ~3;
  }
}
