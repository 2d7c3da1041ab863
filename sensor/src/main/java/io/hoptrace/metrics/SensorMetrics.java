package io.hoptrace.metrics;

import io.hoptrace.evidence.HopRings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * The sensor's metrics, bound to a Micrometer registry. In Prometheus format they read {@code
 * hoptrace_sensor_packets_captured_total}, {@code ..._decoded_total}, {@code ..._sent_total},
 * {@code ..._send_failed_total}, {@code hoptrace_sensor_decode_status_total{reason=...}} and {@code
 * hoptrace_sensor_capture_drops{iface=...}}; in reduced mode also {@code
 * hoptrace_sensor_records_sent_total{kind=summary|counters}}, {@code
 * hoptrace_sensor_flow_table_evictions_total}, {@code hoptrace_sensor_flow_table_flows} and {@code
 * hoptrace_sensor_packets_folded_packets_total}; with a spool ({@link #bindSpool}) {@code
 * hoptrace_sensor_spool_*}.
 *
 * <p>Counts come in two ways: pushed ({@link #captured(long)}, {@link #decoded()}, {@link
 * #decodeFailed(String)}, {@link #sent()}, ...) or pulled at scrape time from counters the hot path
 * keeps itself ({@link #bindDecodeStatus(String, LongSupplier)}, {@link #bindCaptureDrops(String,
 * LongSupplier)}); for decode statuses both add up. Thread-safe.
 */
public final class SensorMetrics {

  public static final String CAPTURED = "hoptrace.sensor.packets.captured";
  public static final String DECODED = "hoptrace.sensor.packets.decoded";
  public static final String SENT = "hoptrace.sensor.packets.sent";
  public static final String SEND_FAILED = "hoptrace.sensor.packets.send.failed";
  public static final String DECODE_STATUS = "hoptrace.sensor.decode.status";
  public static final String CAPTURE_DROPS = "hoptrace.sensor.capture.drops";
  public static final String RECORDS_SENT = "hoptrace.sensor.records.sent";
  public static final String FLOW_TABLE_EVICTIONS = "hoptrace.sensor.flow.table.evictions";
  public static final String FLOW_TABLE_FLOWS = "hoptrace.sensor.flow.table.flows";
  public static final String PACKETS_FOLDED = "hoptrace.sensor.packets.folded";
  public static final String SPOOL_BYTES = "hoptrace.sensor.spool.bytes";
  public static final String SPOOL_RECORDS = "hoptrace.sensor.spool.records";
  public static final String SPOOL_OLDEST_AGE = "hoptrace.sensor.spool.oldest.age";
  public static final String SPOOL_DROPPED = "hoptrace.sensor.spool.dropped";
  public static final String SPOOL_TORN = "hoptrace.sensor.spool.torn";
  public static final String RING_HOPS = "hoptrace.sensor.ring.hops";
  public static final String RING_MEMORY = "hoptrace.sensor.ring.memory";
  public static final String RING_BOUND = "hoptrace.sensor.ring.bound";
  public static final String RING_PACKETS = "hoptrace.sensor.ring.packets";
  public static final String RING_SPAN = "hoptrace.sensor.ring.span";
  public static final String RING_TOO_LARGE = "hoptrace.sensor.ring.too.large";
  public static final String PCAP_ANSWERED = "hoptrace.sensor.pcap.requests.answered";
  public static final String KIND_TAG = "kind";
  public static final String REASON_TAG = "reason";
  public static final String IFACE_TAG = "iface";

  private final MeterRegistry registry;
  private final Counter captured;
  private final Counter decoded;
  private final Counter sent;
  private final Counter sendFailed;
  private final Map<String, ReasonCount> reasons = new ConcurrentHashMap<>();
  private final List<LongSupplier> dropSources = new CopyOnWriteArrayList<>();
  private final Map<String, Counter> sentByKind = new ConcurrentHashMap<>();
  private final List<ReducerStatsSource> reducers = new CopyOnWriteArrayList<>();

  public SensorMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.captured =
        Counter.builder(CAPTURED)
            .description("Packets handed to the sensor by a capture source")
            .baseUnit("packets")
            .register(registry);
    this.decoded =
        Counter.builder(DECODED)
            .description("Packets decoded into a summary (any status)")
            .baseUnit("packets")
            .register(registry);
    this.sent =
        Counter.builder(SENT)
            .description("Packet summaries acknowledged by Kafka")
            .baseUnit("packets")
            .register(registry);
    this.sendFailed =
        Counter.builder(SEND_FAILED)
            .description("Packet summaries that could not be sent (broker down, timeout, ...)")
            .baseUnit("packets")
            .register(registry);
  }

  /** Metrics going nowhere (a registry without backends), for tools and tests. */
  public static SensorMetrics noop() {
    return new SensorMetrics(new CompositeMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void captured(long packets) {
    captured.increment(packets);
  }

  public void decoded() {
    decoded.increment();
  }

  public void decoded(long packets) {
    decoded.increment(packets);
  }

  /** Counts one packet whose decode ended with {@code reason} (a DecodeStatus name). */
  public void decodeFailed(String reason) {
    reason(reason).pushed.increment();
  }

  /**
   * Reports {@code count} (read at scrape time, monotonic) as packets decoded with status {@code
   * reason}. Several sources for one reason add up (e.g. one per decoder thread).
   */
  public void bindDecodeStatus(String reason, LongSupplier count) {
    reason(reason).sources.add(Objects.requireNonNull(count, "count"));
  }

  /** {@link #bindDecodeStatus} for each reason, reading counts through {@code countOf}. */
  public void bindDecodeStatuses(Collection<String> reasonNames, ToLongFunction<String> countOf) {
    Objects.requireNonNull(countOf, "countOf");
    for (String reason : reasonNames) {
      bindDecodeStatus(reason, () -> countOf.applyAsLong(reason));
    }
  }

  /** Reports a capture source's drop counter ({@code pcap_stats} ps_drop) for {@code iface}. */
  public void bindCaptureDrops(String iface, LongSupplier drops) {
    Objects.requireNonNull(drops, "drops");
    dropSources.add(drops); // gauges hold their object weakly
    Gauge.builder(CAPTURE_DROPS, drops, s -> (double) s.getAsLong())
        .description("Packets dropped by the capture (kernel buffer full), per interface")
        .tag(IFACE_TAG, iface)
        .baseUnit("packets")
        .strongReference(true)
        .register(registry);
  }

  public void sent() {
    sent.increment();
  }

  /**
   * One record of {@code kind} ({@code summary} or {@code counters}, reduced mode) acknowledged:
   * counted in {@link #SENT} and in {@link #RECORDS_SENT} by kind.
   */
  public void sent(String kind) {
    sent(kind, 1);
  }

  /** Records of {@code kind} acknowledged so far. */
  public double sentCount(String kind) {
    Counter c = sentByKind.get(kind);
    return c == null ? 0 : c.count();
  }

  /** What a reducer reports at scrape time (several, e.g. one per capture thread, add up). */
  public interface ReducerStatsSource {
    long evictions();

    long flows();

    long folded();
  }

  /**
   * Reports a reducer's flow-table evictions, entries and folded packets ({@link
   * #FLOW_TABLE_EVICTIONS}, {@link #FLOW_TABLE_FLOWS}, {@link #PACKETS_FOLDED}); the meters are
   * registered with the first source.
   */
  public void bindReducer(ReducerStatsSource source) {
    reducers.add(Objects.requireNonNull(source, "source"));
    if (reducers.size() > 1) {
      return;
    }
    FunctionCounter.builder(
            FLOW_TABLE_EVICTIONS,
            reducers,
            l -> l.stream().mapToLong(ReducerStatsSource::evictions).sum())
        .description("Flows evicted from the reducer's full flow table (reduced mode)")
        .register(registry);
    Gauge.builder(
            FLOW_TABLE_FLOWS, reducers, l -> l.stream().mapToLong(ReducerStatsSource::flows).sum())
        .description("Entries (hop and flow key) in the reducer's flow table")
        .baseUnit("flows")
        .strongReference(true)
        .register(registry);
    FunctionCounter.builder(
            PACKETS_FOLDED, reducers, l -> l.stream().mapToLong(ReducerStatsSource::folded).sum())
        .description("Packets folded into counters instead of sent one by one (reduced mode)")
        .baseUnit("packets")
        .register(registry);
  }

  /** What a spool reports at scrape time. */
  public interface SpoolStats {
    /** Bytes of records waiting to be sent. */
    long bytes();

    /** Records waiting to be sent. */
    long records();

    /** Records dropped because the spool was full. */
    long dropped();

    /** Torn records (cut off by a crash mid-write) found and skipped at start. */
    long torn();

    /** Milliseconds the oldest waiting record has waited (0 when none waits). */
    long oldestAgeMillis();
  }

  /**
   * Reports the spool's state ({@code --spool-dir}): {@code hoptrace_sensor_spool_bytes}, {@code
   * ..._spool_records}, {@code ..._spool_oldest_age_seconds}, {@code ..._spool_dropped_total} and
   * {@code ..._spool_torn_total}.
   */
  public void bindSpool(SpoolStats spool) {
    Objects.requireNonNull(spool, "spool");
    Gauge.builder(SPOOL_BYTES, spool, s -> (double) s.bytes())
        .description("Bytes of records in the spool waiting for the broker")
        .baseUnit("bytes")
        .strongReference(true)
        .register(registry);
    Gauge.builder(SPOOL_RECORDS, spool, s -> (double) s.records())
        .description("Records in the spool waiting for the broker")
        .strongReference(true)
        .register(registry);
    Gauge.builder(SPOOL_OLDEST_AGE, spool, s -> s.oldestAgeMillis() / 1000.0)
        .description("How long the oldest record in the spool has waited (0 when empty)")
        .baseUnit("seconds")
        .strongReference(true)
        .register(registry);
    FunctionCounter.builder(SPOOL_DROPPED, spool, s -> (double) s.dropped())
        .description("Records dropped because the spool was full (the newest are dropped)")
        .register(registry);
    FunctionCounter.builder(SPOOL_TORN, spool, s -> (double) s.torn())
        .description("Torn records (cut off by a crash mid-write) skipped when the spool opened")
        .register(registry);
  }

  /**
   * The packet rings ({@code hoptrace pcap}'s evidence): hops with a ring, their memory and its
   * bound, packets held, how far back every hop reaches, packets too large to keep.
   */
  public void bindRings(HopRings rings) {
    Objects.requireNonNull(rings, "rings");
    Gauge.builder(RING_HOPS, rings, r -> (double) r.hops())
        .description("Hops with a packet ring")
        .strongReference(true)
        .register(registry);
    Gauge.builder(RING_MEMORY, rings, r -> (double) r.capacityBytes())
        .description("Memory of the packet rings (their arenas, in the JVM heap)")
        .baseUnit("bytes")
        .strongReference(true)
        .register(registry);
    Gauge.builder(RING_BOUND, rings, r -> (double) r.totalBytes())
        .description("Bound of the packet rings' memory (--ring-bytes)")
        .baseUnit("bytes")
        .strongReference(true)
        .register(registry);
    Gauge.builder(RING_PACKETS, rings, r -> (double) r.packets())
        .description("Packets the rings hold")
        .strongReference(true)
        .register(registry);
    Gauge.builder(RING_SPAN, rings, r -> r.shortestSpanNanos() / 1e9)
        .description(
            "How far back every hop's ring reaches: the shortest span from oldest to newest packet")
        .baseUnit("seconds")
        .strongReference(true)
        .register(registry);
    FunctionCounter.builder(RING_TOO_LARGE, rings, r -> (double) r.tooLarge())
        .description("Packets not kept because they were larger than their hop's whole ring")
        .register(registry);
  }

  /** pcap requests this sensor answered ({@link io.hoptrace.evidence.RingResponder}). */
  public void bindPcapAnswers(LongSupplier answered) {
    Objects.requireNonNull(answered, "answered");
    FunctionCounter.builder(PCAP_ANSWERED, answered, a -> (double) a.getAsLong())
        .description("pcap requests answered from the rings")
        .register(registry);
  }

  /**
   * {@code n} records of {@code kind} acknowledged at once (a spool batch), as {@link
   * #sent(String)}.
   */
  public void sent(String kind, long n) {
    sent.increment(n);
    sentByKind
        .computeIfAbsent(
            kind,
            k ->
                Counter.builder(RECORDS_SENT)
                    .description("Packets-topic records acknowledged by Kafka, by kind")
                    .tag(KIND_TAG, k)
                    .register(registry))
        .increment(n);
  }

  public void sendFailed() {
    sendFailed.increment();
  }

  public void sendFailed(long packets) {
    sendFailed.increment(packets);
  }

  /** Current totals, e.g. for a progress line. */
  public double capturedCount() {
    return captured.count();
  }

  public double decodedCount() {
    return decoded.count();
  }

  public double sentCount() {
    return sent.count();
  }

  public double sendFailedCount() {
    return sendFailed.count();
  }

  /** Packets with decode status {@code reason} so far (pushed plus bound sources). */
  public long decodeStatusCount(String reason) {
    ReasonCount r = reasons.get(reason);
    return r == null ? 0 : r.value();
  }

  private ReasonCount reason(String reason) {
    Objects.requireNonNull(reason, "reason");
    return reasons.computeIfAbsent(
        reason,
        r -> {
          ReasonCount count = new ReasonCount();
          FunctionCounter.builder(DECODE_STATUS, count, c -> (double) c.value())
              .description("Packets by decode status (OK, FRAGMENT, TRUNCATED_IPV4, ...)")
              .tag(REASON_TAG, r)
              .baseUnit("packets")
              .register(registry);
          return count;
        });
  }

  private static final class ReasonCount {
    final LongAdder pushed = new LongAdder();
    final List<LongSupplier> sources = new CopyOnWriteArrayList<>();

    long value() {
      long n = pushed.sum();
      for (LongSupplier s : sources) {
        n += s.getAsLong();
      }
      return n;
    }
  }
}
