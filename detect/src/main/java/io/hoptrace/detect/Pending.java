package io.hoptrace.detect;

/** A packet (fingerprint) of one direction awaiting its match across the conversation's hops. */
final class Pending {
  long fp;
  int dir;
  int size;
  boolean df;
  long firstTs;

  /** Bit i set: slot i of the conversation saw the packet. */
  long mask;
}
