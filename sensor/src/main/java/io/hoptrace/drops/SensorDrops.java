package io.hoptrace.drops;

import io.hoptrace.capture.HopContext;
import io.hoptrace.schema.KernelDrop;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The sensor's kernel drop reasons ({@code hoptrace sensor --drop-reasons auto|on|off}): a {@link
 * DropWatch} in a daemon thread whose drops are mapped to this sensor's hops ({@link DropHops}) and
 * handed to a sink as {@link KernelDrop} records (the drops topic), counted in {@code
 * hoptrace_kernel_drops_total{reason,role}}.
 *
 * <p>{@code auto} (the default) traces where the node can (root, bpftrace, BTF, Linux 5.17 or newer
 * for the tracepoint's reason); where it cannot, it says why in one line, sets {@code
 * hoptrace_sensor_drop_reasons_enabled} to 0 and the sensor goes on without. {@code on} refuses to
 * start instead ({@link DropWatchException}); {@code off} never traces. A bpftrace that fails while
 * running is one line too, and the gauge falls back to 0.
 */
public final class SensorDrops implements AutoCloseable {

  /** {@code --drop-reasons}. */
  public enum Mode {
    AUTO,
    ON,
    OFF;

    /**
     * @throws IllegalArgumentException naming the option for anything but auto, on, off
     */
    public static Mode parse(String text) {
      try {
        return valueOf(text.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new IllegalArgumentException("--drop-reasons " + text + ": must be auto, on or off");
      }
    }
  }

  /** In Prometheus {@code hoptrace_kernel_drops_total{reason,role}}. */
  public static final String KERNEL_DROPS = "hoptrace.kernel.drops";

  /** 1 while drop reasons are traced, else 0: {@code hoptrace_sensor_drop_reasons_enabled}. */
  public static final String ENABLED = "hoptrace.sensor.drop.reasons.enabled";

  /** Drops on devices of no hop of this sensor (other namespaces of the host). */
  public static final String UNMAPPED = "hoptrace.sensor.drop.reasons.unmapped";

  /** Where the kernel's BTF is, which bpftrace needs for the sk_buff fields. */
  static final Path BTF = Path.of("/sys/kernel/btf/vmlinux");

  private final DropHops hops;
  private final Consumer<KernelDrop> sink;
  private final MeterRegistry registry;
  private final Consumer<String> say;
  private final LongSupplier wallNanos;
  private final AtomicInteger enabled = new AtomicInteger();
  private final Counter unmapped;
  private volatile DropWatch watch;
  private volatile boolean closing;
  private Thread thread;
  private long lastEnd;

  SensorDrops(
      DropHops hops,
      Consumer<KernelDrop> sink,
      MeterRegistry registry,
      Consumer<String> say,
      LongSupplier wallNanos) {
    this.hops = hops;
    this.sink = sink;
    this.registry = registry;
    this.say = say;
    this.wallNanos = wallNanos;
    Gauge.builder(ENABLED, enabled, AtomicInteger::get)
        .description("1 while the sensor traces kernel drop reasons (skb:kfree_skb), else 0")
        .strongReference(true)
        .register(registry);
    this.unmapped =
        Counter.builder(UNMAPPED)
            .description("Kernel drops on devices of no hop of this sensor (not published)")
            .register(registry);
  }

  /**
   * Starts tracing as {@code mode} says.
   *
   * @param say where the one-line notes go (on, off and why, failures)
   * @throws DropWatchException in mode {@code on} when this node cannot trace drop reasons
   */
  public static SensorDrops start(
      Mode mode,
      DropWatch.Config config,
      DropHops hops,
      Consumer<KernelDrop> sink,
      MeterRegistry registry,
      Consumer<String> say) {
    SensorDrops d = new SensorDrops(hops, sink, registry, say, SensorDrops::wallClockNanos);
    if (mode == Mode.OFF) {
      say.accept("kernel drop reasons: off (--drop-reasons off)");
      return d;
    }
    DropWatch w;
    try {
      w = prepare(config);
    } catch (DropWatchException e) {
      if (mode == Mode.ON) {
        throw new DropWatchException("--drop-reasons on: " + e.getMessage());
      }
      say.accept("kernel drop reasons: off, not supported here: " + e.getMessage());
      return d;
    }
    d.run(w);
    return d;
  }

  /**
   * Checks that this node can trace drop reasons (BTF, root, bpftrace, the tracepoint's reason)
   * without starting anything: for {@code on}, checked with the other options.
   *
   * @throws DropWatchException with the one-line reason when it cannot
   */
  public static DropWatch prepare(DropWatch.Config config) {
    if (!Files.exists(BTF)) {
      throw new DropWatchException(
          "the kernel has no BTF (" + BTF + "), which bpftrace needs to read packets");
    }
    return DropWatch.prepare(config);
  }

  private void run(DropWatch w) {
    watch = w;
    thread =
        new Thread(
            () -> {
              try {
                w.run(this::attached, this::interval);
              } catch (DropWatchException e) {
                if (!closing) { // a stop asked for ends bpftrace's output mid-read: not news
                  say.accept("kernel drop reasons: stopped: " + e.getMessage());
                }
              } catch (RuntimeException e) {
                say.accept("kernel drop reasons: stopped: " + e);
              } finally {
                enabled.set(0);
              }
            },
            "hoptrace-drop-reasons");
    thread.setDaemon(true);
    thread.start();
  }

  private void attached() {
    lastEnd = wallNanos.getAsLong();
    enabled.set(1);
    say.accept("kernel drop reasons: on (bpftrace on skb:kfree_skb attached)");
  }

  /** One interval's drops: mapped to hops, counted, published. */
  void interval(List<DropRecord> drops) {
    long end = wallNanos.getAsLong();
    long start = lastEnd > 0 && lastEnd < end ? lastEnd : end - 1_000_000_000L;
    lastEnd = end;
    for (DropRecord d : drops) {
      HopContext hop = hops.hopOf(d.netns(), d.iface());
      if (hop == null) {
        unmapped.increment(d.count());
        continue;
      }
      Counter.builder(KERNEL_DROPS)
          .description("Packets the kernel dropped on this sensor's hops, by drop reason and role")
          .tag("reason", d.reason())
          .tag("role", hop.role().name())
          .register(registry)
          .increment(d.count());
      KernelDrop r = KernelDrops.of(d, hop, start, end);
      if (r != null) {
        sink.accept(r);
      }
    }
  }

  /** Whether drops are being traced now. */
  public boolean enabled() {
    return enabled.get() == 1;
  }

  /** Stops bpftrace and waits briefly for the last interval. */
  @Override
  public void close() {
    closing = true;
    DropWatch w = watch;
    if (w != null) {
      w.close();
    }
    Thread t = thread;
    if (t != null) {
      try {
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static long wallClockNanos() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
