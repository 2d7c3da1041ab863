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
   * About 0.6 KB per entry in the JVM (two directions with their TCP state and duplicate rings, the
   * key strings): 262 144 entries stay well within a 256 MB heap.
   */
  public static final int DEFAULT_MAX_FLOWS = 262_144;

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

  /** First 8 packets, 1/64 sampled, 1 s interval, 262 144 flows, 30 s idle, 200 ms pause. */
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
