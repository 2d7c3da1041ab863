package io.hoptrace.capture;

import java.sql.Timestamp;
import java.util.stream.Collectors;
import org.agrona.concurrent.UnsafeBuffer;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.PcapStat;
import org.pcap4j.core.Pcaps;
import org.pcap4j.core.RawPacketListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures one interface through libpcap, in the sensor's own network namespace ({@link #open}) or
 * in another one ({@link #openIn}: the handle is opened on a thread moved into that namespace, see
 * {@link Netns}). pcap4j opens and configures the handle; packets are read with {@link PcapNext}
 * ({@code pcap_next_ex}, each packet read where libpcap holds it, no copy, no per-packet upcall),
 * or where that is not available with pcap4j's {@code loop} and a {@link RawPacketListener} (the
 * byte array it allocates per packet wrapped in one reused {@link UnsafeBuffer}).
 */
final class PcapLiveSource implements CaptureSource, RawPacketListener {

  private static final Logger LOG = LoggerFactory.getLogger(PcapLiveSource.class);

  private final HopContext hop;
  private final PacketHandler handler;
  private final PcapHandle handle;
  private final int linkType;
  private final boolean nanoPrecision;
  private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[0]);
  private volatile long delivered;
  private volatile long handlerErrors;
  private volatile String error;
  private volatile boolean stopping;
  private volatile PcapStat lastStat;

  private PcapLiveSource(
      HopContext hop, PacketHandler handler, PcapHandle handle, boolean nanoPrecision) {
    this.hop = hop;
    this.handler = handler;
    this.handle = handle;
    this.linkType = LinkType.normalize(handle.getDlt().value());
    this.nanoPrecision = nanoPrecision;
  }

  /**
   * Opens the interface {@code hop.iface()} inside the network namespace {@code netns}, in this
   * process: no child process, libpcap's own counters. Errors name the namespace.
   */
  static PcapLiveSource openIn(
      NetnsTarget netns, HopContext hop, LiveCaptureConfig config, PacketHandler handler)
      throws LiveCaptureException {
    try {
      return Netns.call(netns, () -> open(hop, config, handler));
    } catch (LiveCaptureException e) {
      String m = e.getMessage();
      if (m != null && m.contains(netns.label())) {
        throw e;
      }
      throw new LiveCaptureException("network namespace " + netns.label() + ": " + m, e);
    }
  }

  /** Opens the interface {@code hop.iface()} and installs the filter. */
  static PcapLiveSource open(HopContext hop, LiveCaptureConfig config, PacketHandler handler)
      throws LiveCaptureException {
    String iface = hop.iface();
    PcapNetworkInterface nif;
    try {
      nif = Pcaps.getDevByName(iface);
    } catch (PcapNativeException e) {
      throw new LiveCaptureException(
          "cannot list capture interfaces: " + e.getMessage() + " (is libpcap installed?)", e);
    } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
      throw new LiveCaptureException(
          "libpcap not found: install libpcap0.8 (" + e.getMessage() + ")", e);
    }
    if (nif == null) {
      throw new LiveCaptureException("no such capture interface: " + iface + available());
    }
    PcapHandle handle;
    boolean nano = true;
    try {
      handle = build(iface, config, hop, PcapHandle.TimestampPrecision.NANO);
    } catch (PcapNativeException e) {
      nano = false;
      try {
        handle = build(iface, config, hop, PcapHandle.TimestampPrecision.MICRO);
      } catch (PcapNativeException e2) {
        throw new LiveCaptureException(openMessage(iface, e2.getMessage()), e2);
      }
    }
    if (config.filter() != null) {
      try {
        handle.setFilter(config.filter(), BpfProgram.BpfCompileMode.OPTIMIZE);
      } catch (PcapNativeException | NotOpenException e) {
        handle.close();
        throw new LiveCaptureException(
            "bad capture filter '" + config.filter() + "' on " + iface + ": " + e.getMessage(), e);
      }
    }
    return new PcapLiveSource(hop, handler, handle, nano);
  }

  private static PcapHandle build(
      String iface, LiveCaptureConfig c, HopContext hop, PcapHandle.TimestampPrecision precision)
      throws PcapNativeException {
    return new PcapHandle.Builder(iface)
        .snaplen(c.snaplen())
        .promiscuousMode(
            c.promiscuous()
                ? PcapNetworkInterface.PromiscuousMode.PROMISCUOUS
                : PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
        .immediateMode(c.immediateModeFor(hop.role()))
        .bufferSize(c.bufferBytesFor(hop.role()))
        .timeoutMillis(c.timeoutMillisFor(hop.role()))
        .timestampPrecision(precision)
        .build();
  }

  private static String openMessage(String iface, String pcapError) {
    String m = "cannot capture on " + iface + ": " + pcapError;
    if (pcapError != null && pcapError.toLowerCase().contains("permission")) {
      m += " (needs root or CAP_NET_RAW)";
    }
    return m;
  }

  private static String available() {
    try {
      return " (available: "
          + Pcaps.findAllDevs().stream()
              .map(PcapNetworkInterface::getName)
              .collect(Collectors.joining(", "))
          + ")";
    } catch (PcapNativeException e) {
      return "";
    }
  }

  @Override
  public HopContext hop() {
    return hop;
  }

  /** Whether timestamps have nanosecond precision (else microseconds). */
  boolean nanoPrecision() {
    return nanoPrecision;
  }

  int linkType() {
    return linkType;
  }

  @Override
  public void run() {
    PcapNext reader = PcapNext.of(handle, nanoPrecision);
    if (reader != null) {
      readEach(reader);
      return;
    }
    try {
      handle.loop(-1, this);
    } catch (InterruptedException e) {
      // breakLoop(): a normal stop
    } catch (PcapNativeException | NotOpenException | RuntimeException e) {
      if (!stopping) {
        error = "capture on " + hop.iface() + " failed: " + e.getMessage();
        LOG.warn(error);
      }
    }
  }

  /** Reads with {@link PcapNext} until stopped or an error. */
  private void readEach(PcapNext reader) {
    while (!stopping) {
      int rc = reader.next();
      if (rc == 1) {
        deliver(reader.data(), reader.capturedLength(), reader.wireLength(), reader.tsNanos());
      } else if (rc == -2) {
        return; // breakLoop(): a normal stop
      } else if (rc < 0) {
        if (!stopping) {
          error = "capture on " + hop.iface() + " failed: " + lastError();
          LOG.warn(error);
        }
        return;
      }
    }
  }

  private String lastError() {
    try {
      return handle.getError();
    } catch (NotOpenException e) {
      return "handle closed";
    }
  }

  private void deliver(UnsafeBuffer packet, int captured, int wire, long tsNanos) {
    try {
      handler.onPacket(hop, linkType, packet, 0, captured, wire, tsNanos);
      delivered++;
    } catch (RuntimeException e) {
      long n = ++handlerErrors;
      if (n == 1 || Long.bitCount(n) == 1) {
        LOG.warn("packet handler failed on {} ({} times): {}", hop.id(), n, e.toString());
      }
    }
  }

  @Override
  public void gotPacket(byte[] packet) {
    Timestamp ts = handle.getTimestamp();
    Integer wire = handle.getOriginalLength();
    long tsNanos = Math.floorDiv(ts.getTime(), 1000L) * 1_000_000_000L + ts.getNanos();
    buffer.wrap(packet);
    try {
      handler.onPacket(
          hop, linkType, buffer, 0, packet.length, wire == null ? packet.length : wire, tsNanos);
      delivered++;
    } catch (RuntimeException e) {
      long n = ++handlerErrors;
      if (n == 1 || Long.bitCount(n) == 1) {
        LOG.warn("packet handler failed on {} ({} times): {}", hop.id(), n, e.toString());
      }
    }
  }

  @Override
  public void stop() {
    stopping = true;
    try {
      snapshotStats();
      handle.breakLoop();
    } catch (NotOpenException e) {
      // already closed
    }
  }

  @Override
  public void close() {
    handle.close();
  }

  private void snapshotStats() {
    try {
      if (handle.isOpen()) {
        lastStat = handle.getStats();
      }
    } catch (PcapNativeException | NotOpenException e) {
      // keep the last snapshot
    }
  }

  @Override
  public LiveStats stats(boolean running) {
    if (running && !stopping) {
      snapshotStats();
    }
    PcapStat s = lastStat;
    return new LiveStats(
        hop,
        s == null ? -1 : s.getNumPacketsReceived(),
        s == null ? -1 : s.getNumPacketsDropped(),
        s == null ? -1 : s.getNumPacketsDroppedByIf(),
        delivered,
        handlerErrors,
        running,
        error);
  }
}
