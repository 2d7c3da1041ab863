package io.hoptrace.detect.detector;

import io.hoptrace.detect.HopDir;
import io.hoptrace.schema.FlowHopCounters;

/**
 * Packets a sensor's reducer folded into counters (reduced summaries), as the core attributed them
 * to a conversation, hop and direction, after its accounting. Mutable, reused; valid during {@link
 * Detector#onCounters} only.
 */
public final class CountersView {
  /** The counters record. */
  public FlowHopCounters counters;

  /** Hop id ({@code node/pod/iface} or {@code node/iface}). */
  public String hop;

  /** Direction in the conversation: 0 initiator to responder, 1 reverse. */
  public int dir;

  /** The hop slot's accounting of this direction, or null when the hop was not tracked. */
  public HopDir hopDir;
}
