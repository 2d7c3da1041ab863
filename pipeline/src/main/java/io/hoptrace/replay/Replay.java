package io.hoptrace.replay;

import io.hoptrace.capture.CaptureFileException;
import io.hoptrace.capture.CaptureStats;
import io.hoptrace.decode.DecoderConfig;
import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.pipeline.CountingRecordSink;
import io.hoptrace.pipeline.DetectionHost;
import io.hoptrace.pipeline.PacketSink;
import io.hoptrace.reduce.InventoryMtus;
import io.hoptrace.reduce.ReducerConfig;
import io.hoptrace.reduce.ReducingSink;
import io.hoptrace.reduce.SummaryMode;
import io.hoptrace.route.NatLinkScanner;
import io.hoptrace.route.NatLinks;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Replays a manifest into a running {@link DetectionHost} as its sensors would have published it:
 * the nodes' inventory first (stamped now, awaited in the job), then every hop's packets merged in
 * capture-time order ({@link MergedCaptures}), then the end of input, and waits until the job has
 * drained. A summary that cannot be published fails the replay. The one replay of {@code analyze}
 * ({@link Analysis}) and {@code demo}.
 *
 * <p>Options: {@link #summaries} (what the sensors publish: every packet, or reduced by a {@link
 * io.hoptrace.reduce.Reducer} over all hops with the manifest's interface MTUs; full by default
 * here, the commands pass their option), {@link #pacing} (as fast as possible by default, or real
 * time and multiples of it, by capture timestamps) and {@link #startAt} (move the capture
 * timestamps so that the replay starts at a given event time, as if live; by default they are
 * kept).
 */
public final class Replay {

  /**
   * How fast packets are published: {@code speed} 0 as fast as possible, 1 real time (the captures'
   * own spacing), 10 ten times faster.
   */
  public record Pacing(double speed) {
    /** No waiting between packets. */
    public static final Pacing AS_FAST_AS_POSSIBLE = new Pacing(0);

    /** The captures' own spacing. */
    public static final Pacing REAL_TIME = new Pacing(1);

    /** Checks the speed. */
    public Pacing {
      if (!(speed >= 0) || Double.isInfinite(speed)) {
        throw new IllegalArgumentException("speed must be >= 0 (0 = as fast as possible)");
      }
    }
  }

  /**
   * What a replay published.
   *
   * @param summaries packets replayed (each one summary in full mode)
   * @param records records sent: summaries and counters
   * @param counters of those, counters records (0 in full mode)
   * @param lastTsNanos the latest capture timestamp published (after {@link #startAt}), or {@link
   *     Long#MIN_VALUE} when none was
   * @param captures per hop id: what its reader read and skipped
   * @param stopped whether the stop condition cut the replay short
   */
  public record Published(
      long summaries,
      long records,
      long counters,
      long lastTsNanos,
      Map<String, CaptureStats> captures,
      boolean stopped) {}

  private final DetectionHost host;
  private final DecoderConfig decoderConfig;
  private final InstantSource clock;
  private final Duration timeout;
  private Pacing pacing = Pacing.AS_FAST_AS_POSSIBLE;
  private SummaryMode mode = SummaryMode.FULL;
  private ReducerConfig reducerConfig = ReducerConfig.defaults();
  private long natWindowNanos;
  private boolean shifting;
  private long notBefore;

  /**
   * @param clock stamps the inventories (and is "now" for {@link #startAt})
   * @param timeout longest wait for the inventory to reach the job, and for the job to drain
   */
  public Replay(
      DetectionHost host, DecoderConfig decoderConfig, InstantSource clock, Duration timeout) {
    this.host = Objects.requireNonNull(host, "host");
    this.decoderConfig = Objects.requireNonNull(decoderConfig, "decoderConfig");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.natWindowNanos = natWindowNanos(host.detectionConfig());
  }

  /**
   * Twice the job's {@code nat.link.window.ms}: the replay's own NAT table ({@link NatLinkScanner})
   * links at least what the job links.
   */
  public static long natWindowNanos(DetectionConfig cfg) {
    return 2 * Math.max(1, cfg.nanos(DetectionConfig.NAT_LINK_WINDOW_MS));
  }

  /**
   * The NAT table of the manifest's captures: reads them once (decoding only) so that every tuple
   * of a NAT-ed conversation is published under one key, whatever the packets topic's partition
   * count (docs/detection.md, "NAT linking across partitions").
   */
  public NatLinks natLinks(Manifest manifest) throws CaptureFileException {
    NatLinkScanner scanner = new NatLinkScanner(natWindowNanos);
    try (MergedCaptures merged = MergedCaptures.open(manifest.hops(), decoderConfig)) {
      while (merged.hasNext()) {
        MergedCaptures.Item item = merged.next();
        scanner.add(item.summary(), item.key());
      }
    }
    return scanner.build();
  }

  /** What the sensors publish (default {@link SummaryMode#FULL}). */
  public Replay summaries(SummaryMode m) {
    this.mode = Objects.requireNonNull(m, "mode");
    return this;
  }

  /** The reducer's settings in reduced mode (default {@link ReducerConfig#defaults()}). */
  public Replay reducer(ReducerConfig cfg) {
    this.reducerConfig = Objects.requireNonNull(cfg, "cfg");
    return this;
  }

  /** How fast to publish (default as fast as possible). */
  public Replay pacing(Pacing p) {
    this.pacing = Objects.requireNonNull(p, "pacing");
    return this;
  }

  /**
   * Shifts every capture timestamp so that the first packet is at {@code max(now, notBefore)} (ns
   * since the epoch): the replay looks live, and starts after {@code notBefore} (e.g. where the
   * previous replay's end of input moved event time; {@link Long#MIN_VALUE}: now). Without this
   * call the captures' timestamps are kept.
   */
  public Replay startAt(long notBeforeNanos) {
    this.shifting = true;
    this.notBefore = notBeforeNanos;
    return this;
  }

  /**
   * Runs the replay.
   *
   * @param stop checked before every packet: true ends the publishing early (the end of input is
   *     still sent and awaited)
   * @param progress one-line status messages (for stderr)
   * @throws IllegalStateException when summaries could not be published, or the job did not drain
   */
  public Published run(Manifest manifest, BooleanSupplier stop, Consumer<String> progress)
      throws CaptureFileException {
    NatLinks links = natLinks(manifest);
    if (links.natConversations() > 0) {
      progress.accept(
          "NAT table of the captures: "
              + links.linkedKeys()
              + " flow key(s) routed to "
              + links.natConversations()
              + " NAT-ed conversation(s)");
    }
    long now = nanos(clock);
    var inventories = manifest.inventories(now);
    host.publishInventory(inventories, timeout);
    progress.accept("published the inventory of " + inventories.size() + " node(s)");
    long start = shifting ? Math.max(now, notBefore) : 0;
    long shift = Long.MIN_VALUE;
    long first = 0;
    long last = Long.MIN_VALUE;
    long n = 0;
    boolean stopped = false;
    Map<String, CaptureStats> stats;
    CountingRecordSink out;
    long wallStart = System.nanoTime();
    try (PacketSink sink = host.newPacketSink();
        MergedCaptures merged = MergedCaptures.open(manifest.hops(), decoderConfig)) {
      out = new CountingRecordSink(sink);
      ReducingSink sender =
          new ReducingSink(
              mode,
              // the replayed sensors drop a packet captured twice exactly as the job would
              reducerConfig.withDuplicateNanos(
                  host.detectionConfig().get(DetectionConfig.DUPLICATE_CAPTURE_NS)),
              new InventoryMtus(inventories),
              links::route,
              out);
      while (merged.hasNext()) {
        if (stop.getAsBoolean()) {
          stopped = true;
          break;
        }
        MergedCaptures.Item item = merged.next();
        long ts = item.summary().getTsNanos();
        if (shift == Long.MIN_VALUE) {
          shift = shifting ? start - ts : 0;
          first = ts;
        }
        if (shifting) {
          item.summary().setTsNanos(ts + shift);
        }
        last = Math.max(last, ts + shift);
        if (pacing.speed() > 0) {
          long due = wallStart + (long) ((ts - first) / pacing.speed());
          long wait = due - System.nanoTime();
          if (wait > 1_000_000L) {
            sink.flush();
            sleep(wait / 1_000_000L);
          }
        }
        String key = item.key() == null ? null : links.route(item.key());
        sender.offer(key, item.summary());
        n++;
      }
      sender.finish();
      sink.flush();
      if (sink.failed() > 0) {
        throw new IllegalStateException(
            sink.failed() + " packets-topic records could not be published");
      }
      stats = merged.stats();
    }
    progress.accept(
        "published "
            + n
            + " packets from "
            + manifest.hops().size()
            + " hop(s): "
            + mode.describe(out.summaries(), out.counters())
            + "; waiting for the detection job to drain");
    host.endOfInput(timeout);
    return new Published(n, out.records(), out.counters(), last, stats, stopped);
  }

  /** The clock's instant in ns since the epoch. */
  public static long nanos(InstantSource clock) {
    var i = clock.instant();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
