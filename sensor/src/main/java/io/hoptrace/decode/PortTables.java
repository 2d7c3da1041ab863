package io.hoptrace.decode;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tables of UDP ports by port number (64 KiB each), one per set of ports, shared read-only by the
 * decoders of that set: a sensor has a decoder per capture thread, and a table each was 14 MB of
 * heap for the 221 hops of a node with 110 pods (docs/performance.md §8.1). A handful of sets is
 * kept; beyond that each caller gets a table of its own.
 */
final class PortTables {
  private static final int MAX_KEPT = 16;
  private static final Map<Set<Integer>, boolean[]> KEPT = new ConcurrentHashMap<>();

  private PortTables() {}

  /** The table of {@code ports}: {@code t[p]} is whether {@code p} is one; never to be written. */
  static boolean[] of(Set<Integer> ports) {
    boolean[] t = KEPT.get(ports);
    if (t != null) {
      return t;
    }
    Set<Integer> key = Set.copyOf(ports);
    return KEPT.size() < MAX_KEPT ? KEPT.computeIfAbsent(key, PortTables::build) : build(key);
  }

  private static boolean[] build(Set<Integer> ports) {
    boolean[] t = new boolean[65536];
    for (int p : ports) {
      t[p] = true;
    }
    return t;
  }
}
