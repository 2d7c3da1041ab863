package io.hoptrace.capture;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.lang.reflect.Field;
import org.agrona.concurrent.UnsafeBuffer;
import org.pcap4j.core.PcapHandle;

/**
 * Reads one packet at a time from an open pcap4j handle with libpcap's {@code pcap_next_ex}, called
 * through a JNA <em>direct</em> mapping with plain {@code long} arguments, and exposes the packet
 * where libpcap left it (its capture ring) through a reused {@link UnsafeBuffer}: no copy, no
 * object per packet.
 *
 * <p>Why not pcap4j's {@code loop}: it calls back into Java through JNA for every packet, and that
 * upcall (JNI {@code NewObject} for each pointer argument, {@code CallVoidMethod}, JNA's callback
 * dispatch, a {@code byte[]} copy of the packet, a {@code Timestamp}) cost more of a capture
 * thread's time than decoding and reducing the packet on bulk traffic (perf of a live sensor at 100
 * k packets/s: libjvm's JNI upcall path 30 %, JNA's dispatch 12 % of the capture thread's samples).
 * A downcall with primitive arguments costs a fraction of that.
 *
 * <pre>
 * int pcap_next_ex(pcap_t *p, struct pcap_pkthdr **pkt_header, const u_char **pkt_data);
 *
 * struct pcap_pkthdr {           (LP64 Linux: 24 bytes)
 *   struct timeval ts;           0: tv_sec (8), 8: tv_usec (8) — nanoseconds on a NANO handle
 *   bpf_u_int32 caplen;          16
 *   bpf_u_int32 len;             20
 * };
 * </pre>
 *
 * Returns 1 with a packet, 0 when the buffer timeout expired without one, {@code PCAP_ERROR_BREAK}
 * (-2) after {@code pcap_breakloop}, {@code PCAP_ERROR} (-1) on an error. The packet is valid until
 * the next call. Available on 64-bit platforms whose {@code long} is 64 bits (Linux); elsewhere
 * {@link #of} returns null and the caller uses pcap4j's loop. Not thread-safe: one per capture
 * thread.
 */
final class PcapNext {
  private static final int HEADER_BYTES = 24;
  private static final boolean AVAILABLE = register();
  private static final Field HANDLE = handleField();

  private final long pcap;
  private final Memory out = new Memory(16);
  private final long headerOut;
  private final UnsafeBuffer header = new UnsafeBuffer(0, 0);
  private final UnsafeBuffer data = new UnsafeBuffer(0, 0);
  private final boolean nanoPrecision;

  private PcapNext(long pcap, boolean nanoPrecision) {
    this.pcap = pcap;
    this.headerOut = Pointer.nativeValue(out);
    this.nanoPrecision = nanoPrecision;
  }

  private static native int pcap_next_ex(long p, long pktHeader, long pktData);

  private static boolean register() {
    if (Native.POINTER_SIZE != 8 || Native.LONG_SIZE != 8) {
      return false;
    }
    try {
      // the library pcap4j loads (its property, else "pcap"): dlopen gives the same one
      String name =
          System.getProperty(
              "org.pcap4j.core.pcapLibName", com.sun.jna.Platform.isWindows() ? "wpcap" : "pcap");
      Native.register(PcapNext.class, NativeLibrary.getInstance(name));
      return true;
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return false;
    }
  }

  private static Field handleField() {
    try {
      Field f = PcapHandle.class.getDeclaredField("handle");
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** Whether {@link #of} can give readers here (64-bit, libpcap bound, pcap4j's handle field). */
  static boolean available() {
    return AVAILABLE && HANDLE != null;
  }

  /**
   * A reader of {@code handle}'s packets, or null when this platform or pcap4j does not allow it.
   */
  static PcapNext of(PcapHandle handle, boolean nanoPrecision) {
    if (!AVAILABLE || HANDLE == null) {
      return null;
    }
    try {
      Pointer p = (Pointer) HANDLE.get(handle);
      return p == null ? null : new PcapNext(Pointer.nativeValue(p), nanoPrecision);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** Reads the next packet: 1 (then {@link #data()} etc. describe it), 0, -1 or -2 as above. */
  int next() {
    int rc = pcap_next_ex(pcap, headerOut, headerOut + 8);
    if (rc == 1) {
      header.wrap(out.getLong(0), HEADER_BYTES);
      data.wrap(out.getLong(8), header.getInt(16));
    }
    return rc;
  }

  /** The packet's captured bytes, from index 0 ({@link #capturedLength()} of them). */
  UnsafeBuffer data() {
    return data;
  }

  int capturedLength() {
    return header.getInt(16);
  }

  int wireLength() {
    return header.getInt(20);
  }

  /** Capture time in nanoseconds since the epoch. */
  long tsNanos() {
    long frac = header.getLong(8);
    return header.getLong(0) * 1_000_000_000L + (nanoPrecision ? frac : frac * 1000L);
  }
}
