package io.hoptrace.detect;

/**
 * Where a packet fingerprint was last indexed: flow key, node, time and whether the packet went A
 * to B on that key. Used to link NAT-rewritten flow keys.
 */
public record FingerprintEntry(String flowKey, String node, long ts, boolean aToB) {}
