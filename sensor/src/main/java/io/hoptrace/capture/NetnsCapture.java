package io.hoptrace.capture;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures an interface inside another network namespace (a pod's {@code eth0}) by running {@code
 * ip netns exec NS tcpdump -i IFACE -w - -U --immediate-mode -s SNAPLEN} (or {@code nsenter
 * --net=PATH tcpdump ...}) and reading the pcap stream from its standard output with a {@link
 * CaptureStreamReader}.
 *
 * <p>Why a child process: a pcap socket is bound to the namespace of the thread that opens it, and
 * the JVM cannot move one of its threads into another namespace ({@code setns} needs a
 * single-threaded process or a native helper). The trade-offs: one extra process and a pipe per pod
 * interface, every packet copied once more (kernel → tcpdump → pipe → JVM), tcpdump's per-packet
 * flush ({@code -U}, needed so packets are not held back) costs a write system call per packet, so
 * this path suits pod interfaces (thousands of packets/s), not a busy uplink; drop counters are
 * only known when tcpdump exits (it prints them on SIGTERM), while running {@link LiveStats} shows
 * -1 for them.
 */
public final class NetnsCapture implements CaptureSource {

  private static final Logger LOG = LoggerFactory.getLogger(NetnsCapture.class);
  private static final Pattern STAT =
      Pattern.compile(
          "^(\\d+) packets? (received by filter|dropped by kernel|dropped by interface)");
  private static final long HEADER_TIMEOUT_MILLIS = 10_000;

  private final NetnsTarget target;
  private final HopContext hop;
  private final PacketHandler handler;
  private final Process process;
  private final CaptureStreamReader reader;
  private final Deque<String> stderrTail;
  private final Thread stderrPump;
  private volatile long received = -1;
  private volatile long dropped = -1;
  private volatile long ifDropped = -1;
  private volatile long handlerErrors;
  private volatile String error;
  private volatile boolean stopping;

  private NetnsCapture(
      NetnsTarget target,
      HopContext hop,
      PacketHandler handler,
      Process process,
      CaptureStreamReader reader,
      Deque<String> stderrTail,
      Thread stderrPump) {
    this.target = target;
    this.hop = hop;
    this.handler = handler;
    this.process = process;
    this.reader = reader;
    this.stderrTail = stderrTail;
    this.stderrPump = stderrPump;
  }

  /** The tcpdump command line for {@code iface} in {@code target}. */
  public static List<String> command(NetnsTarget target, String iface, LiveCaptureConfig config) {
    List<String> cmd = new ArrayList<>(target.execPrefix());
    cmd.addAll(
        List.of(
            "tcpdump",
            "-i",
            iface,
            "-w",
            "-",
            "-U",
            "--immediate-mode",
            "--time-stamp-precision=nano",
            "-s",
            Integer.toString(config.snaplen()),
            "-B",
            Integer.toString(Math.max(1, config.bufferBytes() / 1024))));
    if (!config.promiscuous()) {
      cmd.add("-p");
    }
    if (config.filter() != null) {
      cmd.add(config.filter());
    }
    return cmd;
  }

  /**
   * Starts tcpdump in the namespace and waits for its pcap header.
   *
   * @param hop the hop to report; {@code hop.iface()} is the interface inside the namespace
   * @throws LiveCaptureException with tcpdump's or ip's own error line when it cannot start
   */
  public static NetnsCapture open(
      NetnsTarget target, HopContext hop, LiveCaptureConfig config, PacketHandler handler)
      throws LiveCaptureException {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(hop, "hop");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(handler, "handler");
    List<String> cmd = command(target, hop.iface(), config);
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.PIPE).start();
    } catch (IOException e) {
      throw new LiveCaptureException(
          "cannot run '"
              + cmd.get(0)
              + "' for namespace "
              + target.label()
              + ": "
              + e.getMessage()
              + " (needs iproute2/util-linux and tcpdump)",
          e);
    }
    Deque<String> tail = new ArrayDeque<>();
    NetnsCapture[] self = new NetnsCapture[1];
    Thread pump =
        new Thread(
            () -> pumpStderr(p, tail, self),
            "hoptrace-netns-stderr-" + target.label() + "-" + hop.iface());
    pump.setDaemon(true);
    pump.start();
    FutureTask<CaptureStreamReader> header =
        new FutureTask<>(() -> CaptureStreamReader.open(p.getInputStream(), hop));
    Thread t = new Thread(header, "hoptrace-netns-header");
    t.setDaemon(true);
    t.start();
    CaptureStreamReader reader;
    try {
      reader = header.get(HEADER_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException | InterruptedException e) {
      p.destroyForcibly();
      waitQuietly(p);
      joinQuietly(pump);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      String why;
      synchronized (tail) {
        why = tail.isEmpty() ? describe(e) : String.join(" / ", tail);
      }
      throw new LiveCaptureException(
          "cannot capture on " + hop.iface() + " in namespace " + target.label() + ": " + why, e);
    }
    NetnsCapture c = new NetnsCapture(target, hop, handler, p, reader, tail, pump);
    self[0] = c;
    return c;
  }

  private static String describe(Exception e) {
    if (e instanceof TimeoutException) {
      return "tcpdump wrote no pcap header";
    }
    Throwable c = e.getCause() != null ? e.getCause() : e;
    return c.getMessage();
  }

  private static void pumpStderr(Process p, Deque<String> tail, NetnsCapture[] self) {
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        synchronized (tail) {
          tail.addLast(line);
          if (tail.size() > 8) {
            tail.removeFirst();
          }
        }
        NetnsCapture c = self[0];
        if (c != null) {
          c.parseStat(line);
        }
      }
    } catch (IOException e) {
      // process gone
    }
  }

  private void parseStat(String line) {
    Matcher m = STAT.matcher(line.trim());
    if (m.find()) {
      long v = Long.parseLong(m.group(1));
      switch (m.group(2)) {
        case "received by filter" -> received = v;
        case "dropped by kernel" -> dropped = v;
        default -> ifDropped = v;
      }
    }
  }

  /** The namespace captured in. */
  public NetnsTarget target() {
    return target;
  }

  /** The stream's link type. */
  public int linkType() {
    return reader.linkType();
  }

  @Override
  public HopContext hop() {
    return hop;
  }

  @Override
  public void run() {
    PacketHandler guarded =
        (h, lt, buf, off, cap, wire, ts) -> {
          try {
            handler.onPacket(h, lt, buf, off, cap, wire, ts);
          } catch (RuntimeException e) {
            long n = ++handlerErrors;
            if (n == 1 || Long.bitCount(n) == 1) {
              LOG.warn("packet handler failed on {} ({} times): {}", hop.id(), n, e.toString());
            }
          }
        };
    reader.read(guarded);
    if (!stopping) {
      String m = reader.stats().errorMessage();
      String exit;
      synchronized (stderrTail) {
        exit = String.join(" / ", stderrTail);
      }
      error =
          "tcpdump in namespace "
              + target.label()
              + " ended"
              + (m != null ? " (" + m + ")" : "")
              + (exit.isEmpty() ? "" : ": " + exit);
      LOG.warn(error);
    }
  }

  /** Asks tcpdump to stop (SIGTERM: it prints its counters and exits; end of stream follows). */
  @Override
  public void stop() {
    stopping = true;
    process.destroy();
  }

  @Override
  public void close() {
    stopping = true;
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        waitQuietly(process);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    joinQuietly(stderrPump);
    reader.close();
  }

  @Override
  public LiveStats stats(boolean running) {
    return new LiveStats(
        hop, received, dropped, ifDropped, reader.packets(), handlerErrors, running, error);
  }

  private static void waitQuietly(Process p) {
    try {
      p.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void joinQuietly(Thread t) {
    try {
      t.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
