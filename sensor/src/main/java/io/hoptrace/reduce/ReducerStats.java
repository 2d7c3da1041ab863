package io.hoptrace.reduce;

import io.hoptrace.contract.CountersReason;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a {@link Reducer} did: packets kept by reason, folded, records emitted per kind. */
public final class ReducerStats {
  // by ordinal (in memory only; counted per packet without boxing)
  final long[] kept = new long[KeepReason.values().length];
  final long[] counters = new long[CountersReason.values().length];
  long packets;
  long folded;
  long duplicates;
  long evictions;
  long expired;
  int flows;

  /** Packets offered. */
  public long packets() {
    return packets;
  }

  /** Packets folded into counters. */
  public long folded() {
    return folded;
  }

  /** Second captures of one packet on one hop, dropped. */
  public long duplicates() {
    return duplicates;
  }

  /** Flows evicted from a full table. */
  public long evictions() {
    return evictions;
  }

  /** Flows dropped from the table after being idle. */
  public long expired() {
    return expired;
  }

  /** Entries (hop and flow key) in the table now. */
  public int flows() {
    return flows;
  }

  /** Per-packet summaries published. */
  public long summaries() {
    return java.util.Arrays.stream(kept).sum();
  }

  /** Counter records published. */
  public long counterRecords() {
    return java.util.Arrays.stream(counters).sum();
  }

  /** Every record published (both kinds). */
  public long records() {
    return summaries() + counterRecords();
  }

  /** Per-packet summaries by reason (reasons with none left out). */
  public Map<KeepReason, Long> keptByReason() {
    EnumMap<KeepReason, Long> m = new EnumMap<>(KeepReason.class);
    for (KeepReason r : KeepReason.values()) {
      if (kept[r.ordinal()] > 0) {
        m.put(r, kept[r.ordinal()]);
      }
    }
    return Map.copyOf(m);
  }

  /** Counter records by reason (reasons with none left out). */
  public Map<CountersReason, Long> countersByReason() {
    EnumMap<CountersReason, Long> m = new EnumMap<>(CountersReason.class);
    for (CountersReason r : CountersReason.values()) {
      if (counters[r.ordinal()] > 0) {
        m.put(r, counters[r.ordinal()]);
      }
    }
    return Map.copyOf(m);
  }

  /** Records by kind, for /metrics and closing lines: {@code summary}, {@code counters}. */
  public Map<String, Long> recordsByKind() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("summary", summaries());
    m.put("counters", counterRecords());
    return m;
  }
}
