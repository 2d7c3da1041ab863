package io.hoptrace.capture;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The interfaces of one capture file, in the order described: for pcapng every Interface
 * Description Block of every section (a packet block's interface id is relative to its section; the
 * reader adds the section's first index), for classic pcap the one interface of the file header.
 *
 * <p>Per interface: link type, snap length, hop, and the conversion of a packet block's timestamp
 * units to nanoseconds from {@code if_tsresol} and {@code if_tsoffset}:
 *
 * <pre>
 *   Interface Description Block (RFC draft-ietf-opsawg-pcapng, 4.2)
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +---------------------------------------------------------------+
 *   |                    Block Type = 0x00000001                    |  0
 *   +---------------------------------------------------------------+
 *   |                      Block Total Length                       |  4
 *   +-------------------------------+-------------------------------+
 *   |           LinkType            |           Reserved            |  8
 *   +-------------------------------+-------------------------------+
 *   |                            SnapLen                            | 12
 *   +---------------------------------------------------------------+
 *   | Options: if_name (2), if_description (3), if_tsresol (9), ...  | 16
 *   +---------------------------------------------------------------+
 *   |                      Block Total Length                       |
 *   +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Reading a packet allocates nothing; describing an interface does (its name). Not thread-safe:
 * owned by one {@link CaptureFileReader}.
 */
final class PcapngInterfaces {
  private static final int MIN_IDB_LENGTH = 20;
  private static final int OPT_END = 0;
  private static final int OPT_IF_NAME = 2;
  private static final int OPT_IF_DESCRIPTION = 3;
  private static final int OPT_IF_TSRESOL = 9;
  private static final int OPT_IF_TSOFFSET = 14;
  private static final int DEFAULT_TSRESOL = 6;

  private final HopContext hop;
  private final Function<CaptureInterface, HopContext> hopForInterface;
  private final List<CaptureInterface> described = new ArrayList<>();
  private int[] linkType = new int[4];
  private int[] snaplen = new int[4];
  private long[] tsMul = new long[4];
  private long[] tsDiv = new long[4];
  private int[] tsShift = new int[4];
  private long[] tsOffsetNanos = new long[4];
  private HopContext[] hops = new HopContext[4];

  /**
   * @param hop the hop of an interface {@code hopForInterface} gives none for, and of classic pcap
   * @param hopForInterface called once per described interface
   */
  PcapngInterfaces(HopContext hop, Function<CaptureInterface, HopContext> hopForInterface) {
    this.hop = hop;
    this.hopForInterface = hopForInterface;
  }

  /** The one interface of a classic pcap file (its records carry their own timestamps). */
  void addClassic(CaptureInterface ci) {
    described.add(ci);
  }

  /**
   * Adds the interface described by the IDB of {@code len} bytes at {@code p}.
   *
   * @return false (nothing added) when the block is too short to be an IDB
   */
  boolean add(UnsafeBuffer b, int p, int len, ByteOrder o) {
    if (len < MIN_IDB_LENGTH) {
      return false;
    }
    int lt = LinkType.normalize(u16(b, p + 8, o));
    int snap = b.getInt(p + 12, o);
    String name = null;
    String description = null;
    int tsresol = DEFAULT_TSRESOL;
    long tsoffset = 0;
    int opt = p + 16;
    int end = p + len - 4;
    while (opt + 4 <= end) {
      int code = u16(b, opt, o);
      int optLen = u16(b, opt + 2, o);
      int value = opt + 4;
      if (code == OPT_END || value + optLen > end) {
        break;
      }
      if (code == OPT_IF_NAME && optLen > 0) {
        name = optionText(b, value, optLen);
      } else if (code == OPT_IF_DESCRIPTION && optLen > 0) {
        description = optionText(b, value, optLen);
      } else if (code == OPT_IF_TSRESOL && optLen >= 1) {
        tsresol = b.getByte(value) & 0xFF;
      } else if (code == OPT_IF_TSOFFSET && optLen >= 8) {
        tsoffset = b.getLong(value, o);
      }
      opt = value + ((optLen + 3) & ~3);
    }
    CaptureInterface ci = new CaptureInterface(lt, Math.max(0, snap), name, description);
    int i = described.size();
    described.add(ci);
    grow(i);
    linkType[i] = lt;
    snaplen[i] = Math.max(0, snap);
    tsOffsetNanos[i] = tsoffset * 1_000_000_000L;
    tsShift[i] = 0;
    tsMul[i] = 1;
    tsDiv[i] = 1;
    if ((tsresol & 0x80) != 0) {
      int shift = tsresol & 0x7F; // a negative power of 2
      if (shift == 0) {
        tsMul[i] = 1_000_000_000L;
      } else {
        tsShift[i] = Math.min(shift, 63);
      }
    } else if (tsresol <= 9) {
      tsMul[i] = pow10(9 - tsresol);
    } else {
      tsDiv[i] = pow10(Math.min(tsresol - 9, 18));
    }
    HopContext h = hopForInterface.apply(ci);
    hops[i] = h == null ? hop : h;
    return true;
  }

  /** How many interfaces were described so far. */
  int size() {
    return described.size();
  }

  /** The interfaces described so far. */
  List<CaptureInterface> list() {
    return List.copyOf(described);
  }

  int linkType(int i) {
    return linkType[i];
  }

  /** The snap length (0: none given). */
  int snaplen(int i) {
    return snaplen[i];
  }

  HopContext hop(int i) {
    return hops[i];
  }

  /** A packet block's timestamp ({@code units} of interface {@code i}) in ns since the epoch. */
  long nanos(int i, long units) {
    long ts;
    int shift = tsShift[i];
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
      ts = units * tsMul[i] / tsDiv[i];
    }
    return ts + tsOffsetNanos[i];
  }

  private void grow(int i) {
    if (i < linkType.length) {
      return;
    }
    int cap = linkType.length * 2;
    linkType = Arrays.copyOf(linkType, cap);
    snaplen = Arrays.copyOf(snaplen, cap);
    tsMul = Arrays.copyOf(tsMul, cap);
    tsDiv = Arrays.copyOf(tsDiv, cap);
    tsShift = Arrays.copyOf(tsShift, cap);
    tsOffsetNanos = Arrays.copyOf(tsOffsetNanos, cap);
    hops = Arrays.copyOf(hops, cap);
  }

  /** A UTF-8 option value, up to its first NUL (writers may terminate strings). */
  private static String optionText(UnsafeBuffer b, int value, int optLen) {
    byte[] raw = new byte[optLen];
    b.getBytes(value, raw);
    int z = 0;
    while (z < raw.length && raw[z] != 0) {
      z++;
    }
    return new String(raw, 0, z, StandardCharsets.UTF_8);
  }

  private static int u16(UnsafeBuffer b, int index, ByteOrder o) {
    return b.getShort(index, o) & 0xFFFF;
  }

  private static long pow10(int e) {
    long r = 1;
    for (int i = 0; i < e; i++) {
      r *= 10;
    }
    return r;
  }
}
