package io.hoptrace.detect;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Named counters of one core instance (packets, duplicates, skipped records by reason, ...). A
 * count is taken per packet on the hot path: a hash map of mutable cells, read as a sorted copy.
 */
final class StatCounts {
  private final Map<String, long[]> cells = new HashMap<>();

  void add(String what) {
    long[] cell = cells.get(what);
    if (cell == null) {
      cells.put(what, new long[] {1});
    } else {
      cell[0]++;
    }
  }

  /** The counts now, by name. */
  Map<String, Long> snapshot() {
    Map<String, Long> copy = new TreeMap<>();
    cells.forEach((k, v) -> copy.put(k, v[0]));
    return Map.copyOf(copy);
  }
}
