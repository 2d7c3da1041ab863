package io.hoptrace.contract;

/**
 * Why a {@code FlowHopCounters} record was emitted. Persisted by {@link #code()} (the record's
 * {@code reason} field), never by ordinal: codes are never reused.
 */
public enum CountersReason {
  /** The interval the counters cover ended. */
  INTERVAL(1),
  /** A per-packet summary follows whose TCP analysis needs the hop's state up to date. */
  BEFORE_PACKET(2),
  /** The flow ended on this hop (FIN/RST, or idle). */
  FLOW_END(3),
  /** The flow was evicted from a full flow table. */
  EVICTED(4),
  /** The input ended (replay). */
  END_OF_INPUT(5);

  private final int code;

  CountersReason(int code) {
    this.code = code;
  }

  /** The persisted code. */
  public int code() {
    return code;
  }

  /** The reason of a persisted code, or null for a code this version does not know. */
  public static CountersReason of(int code) {
    for (CountersReason r : values()) {
      if (r.code == code) {
        return r;
      }
    }
    return null;
  }
}
