package io.hoptrace.reduce;

/**
 * Settings of the sensor's {@link Reducer} (docs/detection.md, "Reduced summaries").
 *
 * @param firstPackets per-packet summaries kept at the start of each flow direction on each hop
 * @param sampleRate share of packets kept by the fingerprint hash on every hop (trajectory
 *     sampling), 0 to 1
 * @param intervalNanos counters are emitted when a packet falls into the next interval (aligned to
 *     the epoch) and at each interval tick; must divide the detection's windows (1 s does)
 * @param maxFlows flow table entries (hop and flow key) before the least recently used is evicted
 * @param idleNanos a flow idle this long on a hop is dropped from the table (its counters emitted);
 *     below the detection's {@code flow.idle.timeout.ms}
 * @param pauseNanos a TCP segment after a pause this long in its direction on a hop is kept (a
 *     retransmission after a timeout of a segment lost before this hop looks new here)
 * @param duplicateNanos the same fingerprint twice on one hop within this long is one packet
 *     captured twice (the detection's {@code duplicate.capture.ns})
 */
public record ReducerConfig(
    int firstPackets,
    double sampleRate,
    long intervalNanos,
    int maxFlows,
    long idleNanos,
    long pauseNanos,
    long duplicateNanos) {

  public static final int DEFAULT_FIRST_PACKETS = 8;
  public static final double DEFAULT_SAMPLE_RATE = 1.0 / 64;

  /**
   * 65 536 entries. An entry takes 1.12 KB of heap, measured (`ReducerTableMemory`, 1 M flows: +1
   * 120 MB; docs/performance.md §14.1): two directions, each with its TCP state, duplicate ring and
   * counters, the binary key, the flow key and Community ID texts, the map entry. 65 536 entries
   * are ~73 MB: with the rings' 64 MB and the producer's 64 MB buffer they fit the Helm chart's
   * sensor heap (512 Mi × 60 %). The earlier default, 262 144 (sized by an estimate of 0.6 KB),
   * needed ~294 MB for the table alone. Evictions are counted ({@code
   * hoptrace_sensor_flow_table_evictions_total}); {@code --max-flows} raises the bound with the
   * heap.
   */
  public static final int DEFAULT_MAX_FLOWS = 65_536;

  private static final long SECOND = 1_000_000_000L;

  /** Checks the ranges; messages name the option. */
  public ReducerConfig {
    if (firstPackets < 0) {
      throw new IllegalArgumentException("--first-packets must be >= 0");
    }
    if (!(sampleRate >= 0 && sampleRate <= 1)) {
      throw new IllegalArgumentException("--sample-rate must be between 0 and 1");
    }
    if (intervalNanos <= 0) {
      throw new IllegalArgumentException("--counters-interval must be > 0");
    }
    if (maxFlows < 1) {
      throw new IllegalArgumentException("--max-flows must be >= 1");
    }
    if (idleNanos <= 0 || pauseNanos <= 0 || duplicateNanos < 0) {
      throw new IllegalArgumentException("reducer timeouts must be > 0");
    }
  }

  /** First 8 packets, 1/64 sampled, 1 s interval, 65 536 flows, 30 s idle, 200 ms pause. */
  public static ReducerConfig defaults() {
    return new ReducerConfig(
        DEFAULT_FIRST_PACKETS,
        DEFAULT_SAMPLE_RATE,
        SECOND,
        DEFAULT_MAX_FLOWS,
        30 * SECOND,
        200_000_000L,
        1_000_000L);
  }

  public ReducerConfig withMaxFlows(int n) {
    return new ReducerConfig(
        firstPackets, sampleRate, intervalNanos, n, idleNanos, pauseNanos, duplicateNanos);
  }

  public ReducerConfig withSampleRate(double r) {
    return new ReducerConfig(
        firstPackets, r, intervalNanos, maxFlows, idleNanos, pauseNanos, duplicateNanos);
  }

  public ReducerConfig withFirstPackets(int n) {
    return new ReducerConfig(
        n, sampleRate, intervalNanos, maxFlows, idleNanos, pauseNanos, duplicateNanos);
  }

  /** The same with another duplicate-capture window (ns, &gt;= 0). */
  public ReducerConfig withDuplicateNanos(long ns) {
    return new ReducerConfig(
        firstPackets, sampleRate, intervalNanos, maxFlows, idleNanos, pauseNanos, ns);
  }
}
