package io.hoptrace.detect;

/** A packet (fingerprint) of one direction awaiting its match across the conversation's hops. */
public final class Pending {
  public long fp;
  public int dir;
  public int size;
  public boolean df;
  public long firstTs;

  /** Bit i set: slot i of the conversation saw the packet. */
  public long mask;
}
