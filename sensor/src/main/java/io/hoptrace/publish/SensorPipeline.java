package io.hoptrace.publish;

import io.hoptrace.capture.CaptureFileReader;
import io.hoptrace.capture.HopContext;
import io.hoptrace.capture.LiveCapture;
import io.hoptrace.capture.LiveStats;
import io.hoptrace.capture.PacketHandler;
import io.hoptrace.decode.DecodeCounters;
import io.hoptrace.decode.DecodeStatus;
import io.hoptrace.decode.DecodedPacket;
import io.hoptrace.decode.DecoderConfig;
import io.hoptrace.decode.PacketSummarizer;
import io.hoptrace.evidence.HopRings;
import io.hoptrace.metrics.SensorMetrics;
import io.hoptrace.reduce.DecodedPacketView;
import io.hoptrace.reduce.RecordSink;
import io.hoptrace.reduce.Reducer;
import io.hoptrace.reduce.ReducerConfig;
import io.hoptrace.reduce.ReducerStats;
import io.hoptrace.reduce.ReducingSink;
import io.hoptrace.schema.FlowHopCounters;
import io.hoptrace.schema.PacketSummary;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.agrona.DirectBuffer;

/**
 * Capture → decode → (reduced mode: {@link Reducer}) → publish. Each capture thread gets its own
 * {@link Handler} (a decoder is single-threaded); all share one {@link SummaryPublisher} and one
 * {@link SensorMetrics}. In full mode every captured packet becomes one summary on the packets
 * topic, whatever its decode status, keyed by {@link io.hoptrace.decode.SummaryMapper#partitionKey}
 * (an ICMP error by the flow it quotes). In reduced mode the reducer reads the decoder's flyweight
 * ({@link DecodedPacketView}) and a summary is built only for a packet it keeps.
 *
 * <pre>{@code
 * SensorPipeline pipeline = new SensorPipeline(DecoderConfig.defaults(), publisher, metrics);
 * try (LiveCapture capture = builder.start(hop -> pipeline.newHandler())) {
 *   pipeline.bindCaptureDrops(capture);
 *   ...
 * }
 * // or, for a file:
 * pipeline.replay(CaptureFileReader.open(file, hop));
 * }</pre>
 */
public final class SensorPipeline {

  private final DecoderConfig decoderConfig;
  private final SummaryPublisher publisher;
  private final SensorMetrics metrics;

  /** Every handler's counters; the decode-status meters sum over them. */
  private final List<DecodeCounters> handlerCounters = new CopyOnWriteArrayList<>();

  /** Reduced mode: the reducer's settings and MTUs, else null (full mode). */
  private ReducerConfig reducerConfig;

  private Reducer.MtuLookup mtus = Reducer.MtuLookup.UNKNOWN;
  private final List<ReducingSink> reducers = new CopyOnWriteArrayList<>();

  /** The rings every handler made from now on keeps its packets in, else null. */
  private HopRings rings;

  /** Publishes through the publisher: summaries under their own key, counters likewise. */
  private final RecordSink publishing =
      new RecordSink() {
        @Override
        public void summary(String key, PacketSummary summary) {
          publisher().publish(key, summary);
        }

        @Override
        public void counters(String key, FlowHopCounters counters) {
          publisher().publishCounters(key, counters);
        }
      };

  public SensorPipeline(
      DecoderConfig decoderConfig, SummaryPublisher publisher, SensorMetrics metrics) {
    this.decoderConfig = Objects.requireNonNull(decoderConfig, "decoderConfig");
    this.publisher = Objects.requireNonNull(publisher, "publisher");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    // Bound once: a meter id registers once, so per-handler bindings would export one thread only.
    for (DecodeStatus status : DecodeStatus.values()) {
      metrics.bindDecodeStatus(status.name(), () -> decodeCount(status));
    }
  }

  /**
   * Reduced mode (docs/detection.md, "Reduced summaries"): each handler made from now on runs its
   * own {@link Reducer} (its capture thread's hops) in front of the publisher; the flow-table
   * evictions, entries and folded packets of all of them are in the metrics.
   */
  public SensorPipeline reduced(ReducerConfig cfg, Reducer.MtuLookup mtus) {
    this.reducerConfig = Objects.requireNonNull(cfg, "cfg");
    this.mtus = Objects.requireNonNull(mtus, "mtus");
    metrics.bindReducer(
        new SensorMetrics.ReducerStatsSource() {
          @Override
          public long evictions() {
            return sum(ReducerStats::evictions);
          }

          @Override
          public long flows() {
            return sum(ReducerStats::flows);
          }

          @Override
          public long folded() {
            return sum(ReducerStats::folded);
          }
        });
    return this;
  }

  /**
   * Keeps every packet of the handlers made from now on in {@code rings} (as captured, before it is
   * decoded), for {@code hoptrace pcap}.
   */
  public SensorPipeline rings(HopRings rings) {
    this.rings = Objects.requireNonNull(rings, "rings");
    metrics.bindRings(rings);
    return this;
  }

  /** The rings, or null when packets are not kept. */
  public HopRings rings() {
    return rings;
  }

  /** Whether handlers reduce (else every packet is published as a summary). */
  public boolean isReduced() {
    return reducerConfig != null;
  }

  private long sum(java.util.function.ToLongFunction<ReducerStats> f) {
    long n = 0;
    for (ReducingSink r : reducers) {
      n += f.applyAsLong(r.stats());
    }
    return n;
  }

  /** The reducers' stats summed (reduced mode; all zero in full mode). */
  public Map<String, Long> reducerTotals() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("folded", sum(ReducerStats::folded));
    m.put("summaries", sum(ReducerStats::summaries));
    m.put("counters", sum(ReducerStats::counterRecords));
    m.put("evictions", sum(ReducerStats::evictions));
    return m;
  }

  /**
   * Moves every reducer's time to the wall clock (a live sensor calls it every interval): counters
   * of silent flows go out, idle flows leave the table. No-op in full mode.
   */
  public void tick(long wallNanos) {
    for (ReducingSink r : reducers) {
      r.advanceTo(wallNanos);
    }
  }

  /**
   * Reduced mode, live: moves the reducers to the wall clock every {@code periodMillis} on a daemon
   * thread ({@link #tick}), so silent flows' counters go out within their interval and idle flows
   * leave the table. Closing the handle stops it; in full mode it does nothing.
   */
  public AutoCloseable startTicks(long periodMillis) {
    if (!isReduced()) {
      return () -> {};
    }
    ScheduledExecutorService t =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread th = new Thread(r, "hoptrace-reducer-tick");
              th.setDaemon(true);
              return th;
            });
    t.scheduleAtFixedRate(
        () -> {
          Instant now = Instant.now();
          tick(now.getEpochSecond() * 1_000_000_000L + now.getNano());
        },
        periodMillis,
        periodMillis,
        TimeUnit.MILLISECONDS);
    return t::shutdownNow;
  }

  /** End of input (reduced mode): every reducer emits its pending counters. */
  public void finish() {
    for (ReducingSink r : reducers) {
      r.finish();
    }
  }

  /** A handler for one capture thread, its decode statuses reported through the metrics. */
  public Handler newHandler() {
    ReducingSink reducer = null;
    if (reducerConfig != null) {
      reducer = new ReducingSink(reducerConfig, mtus, k -> k, publishing);
      reducers.add(reducer);
    }
    Handler handler =
        new Handler(
            new PacketSummarizer(decoderConfig), reducer, rings == null ? null : rings.keeper());
    handlerCounters.add(handler.counters());
    return handler;
  }

  /** Packets decoded with {@code status} by every handler of this pipeline. */
  public long decodeCount(DecodeStatus status) {
    long n = 0;
    for (DecodeCounters c : handlerCounters) {
      n += c.count(status);
    }
    return n;
  }

  /**
   * Reads the whole file through a new handler and flushes the publisher.
   *
   * @return the packets read
   */
  public long replay(CaptureFileReader reader) {
    Handler handler = newHandler();
    long packets = reader.read(handler);
    handler.finish();
    publisher.flush();
    return packets;
  }

  /** Reports each live source's kernel drop counter ({@code ps_drop}) per hop. */
  public void bindCaptureDrops(LiveCapture capture) {
    List<HopContext> hops = capture.hops();
    for (int i = 0; i < hops.size(); i++) {
      int index = i;
      metrics.bindCaptureDrops(
          hops.get(i).id(),
          () -> {
            LiveStats s = capture.stats().get(index);
            return Math.max(0, s.dropped());
          });
    }
  }

  public SummaryPublisher publisher() {
    return publisher;
  }

  public SensorMetrics metrics() {
    return metrics;
  }

  /** Decodes and publishes the packets of one capture thread. Not thread-safe. */
  public final class Handler implements PacketHandler {
    private final PacketSummarizer summarizer;
    private final DecodedPacketView view = new DecodedPacketView();
    private final ReducingSink reducer;
    private final PacketHandler keeper;

    private Handler(PacketSummarizer summarizer, ReducingSink reducer, PacketHandler keeper) {
      this.summarizer = summarizer;
      this.reducer = reducer;
      this.keeper = keeper;
    }

    /** End of this handler's input (reduced mode: its reducer's pending counters go out). */
    public void finish() {
      if (reducer != null) {
        reducer.finish();
      }
    }

    @Override
    public void onPacket(
        HopContext hop,
        int linkType,
        DirectBuffer buffer,
        int offset,
        int capturedLength,
        int wireLength,
        long tsNanos) {
      metrics.captured(1);
      if (keeper != null) {
        keeper.onPacket(hop, linkType, buffer, offset, capturedLength, wireLength, tsNanos);
      }
      DecodedPacket packet =
          summarizer.decode(linkType, buffer, offset, capturedLength, wireLength);
      metrics.decoded();
      view.wrap(hop, tsNanos, capturedLength, wireLength, packet);
      if (reducer == null) {
        publisher.publish(view.partitionKey(), view.summary(null));
      } else {
        reducer.offer(view);
      }
    }

    /** This handler's decode statuses (single writer: its capture thread). */
    public DecodeCounters counters() {
      return summarizer.counters();
    }
  }
}
