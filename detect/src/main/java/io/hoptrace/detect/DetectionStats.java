package io.hoptrace.detect;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The detection cores' counters as a host publishes them for metrics: each core (one per task)
 * publishes a snapshot of {@link FlowDetector#stats()} and its event time from its own thread now
 * and then (a host's punctuation); any thread reads totals. Engine-free and thread-safe; the
 * counters of a core start at zero when its task starts (readers see a counter reset).
 */
public final class DetectionStats {
  private record Snapshot(Map<String, Long> counters, long eventTimeNanos) {}

  private final Map<String, Snapshot> bySource = new ConcurrentHashMap<>();

  /** Publishes core {@code source}'s counters and event time (called on the core's thread). */
  public void publish(String source, FlowDetector core) {
    bySource.put(source, new Snapshot(Map.copyOf(core.stats()), core.now()));
  }

  /** Core {@code source} stopped (its task closed or moved). */
  public void remove(String source) {
    bySource.remove(source);
  }

  /** The sum of counter {@code key} over every core. */
  public long total(String key) {
    long n = 0;
    for (Snapshot s : bySource.values()) {
      n += s.counters().getOrDefault(key, 0L);
    }
    return n;
  }

  /** Every counter key some core published. */
  public Set<String> keys() {
    Set<String> out = new TreeSet<>();
    for (Snapshot s : bySource.values()) {
      out.addAll(s.counters().keySet());
    }
    return out;
  }

  /** The largest event time of the cores (ns), Long.MIN_VALUE before any. */
  public long eventTimeNanos() {
    long t = Long.MIN_VALUE;
    for (Snapshot s : bySource.values()) {
      t = Math.max(t, s.eventTimeNanos());
    }
    return t;
  }
}
