package io.hoptrace.flink;

import io.hoptrace.detect.FingerprintEntry;
import io.hoptrace.detect.state.StateStore;
import java.util.function.BiConsumer;
import org.apache.flink.streaming.api.TimerService;

/**
 * The core's NAT fingerprints in the current key's keyed state, forgotten by an event-time timer of
 * that key: each write makes sure the key wakes up once the fingerprint is too old to link anything
 * (its capture time plus the core's retention, rounded up to a whole second so that a busy key has
 * at most one such timer per second — Flink keeps one timer per key and timestamp), and the stage
 * then sweeps the key ({@link io.hoptrace.detect.FlowDetector#forgetOldFingerprints}).
 *
 * <p>Why not Flink's state TTL: the core sweeps only the key in hand, so keyed fingerprints of a
 * key never seen again would stay forever; TTL with incremental clean-up fixed that but cost a
 * third of stage 1's thread (on the heap backend each clean-up step copies whole per-key maps, at
 * every state access: JFR of {@code bench detect --engine flink}, docs/performance.md §10.1), and
 * TTL wraps every value with a timestamp besides. A timer per key and second costs one hash
 * insertion.
 */
final class SweptFingerprints implements StateStore<Long, FingerprintEntry> {
  private final StateStore<Long, FingerprintEntry> state;
  private final long retentionNanos;
  private TimerService service;

  /**
   * @param state the fingerprints of the current key
   * @param retentionNanos how long after its capture time a fingerprint can still link
   */
  SweptFingerprints(StateStore<Long, FingerprintEntry> state, long retentionNanos) {
    this.state = state;
    this.retentionNanos = retentionNanos;
  }

  /** The timer service of the call in progress (a Flink context is valid for one call). */
  void bind(TimerService service) {
    this.service = service;
  }

  /** The event-time timer (ms) that sweeps a fingerprint captured at {@code tsNanos}. */
  static long sweepAtMillis(long tsNanos, long retentionNanos) {
    long due = Math.floorDiv(tsNanos + retentionNanos, 1_000_000_000L);
    return (due + 1) * 1_000L;
  }

  @Override
  public FingerprintEntry get(Long key) {
    return state.get(key);
  }

  @Override
  public void put(Long key, FingerprintEntry value) {
    state.put(key, value);
    service.registerEventTimeTimer(sweepAtMillis(value.ts(), retentionNanos));
  }

  @Override
  public void delete(Long key) {
    state.delete(key);
  }

  @Override
  public void forEach(BiConsumer<Long, FingerprintEntry> visitor) {
    state.forEach(visitor);
  }
}
