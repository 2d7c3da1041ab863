package io.hoptrace.reduce;

import io.hoptrace.decode.Fingerprint;

/**
 * Trajectory sampling (Duffield and Grossglauser, IEEE/ACM ToN 9(3), 2001): a packet is selected by
 * a hash of its fingerprint, a value no hop changes (it survives NAT, TTL decrement and
 * encapsulation), so every hop selects the same packets and a selected packet can be followed hop
 * by hop.
 */
public final class TrajectorySample {
  private static final double TWO_53 = 0x1p53;
  private final long threshold;

  /** Selects about {@code rate} (0 to 1) of all fingerprints. */
  public TrajectorySample(double rate) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException("sample rate must be between 0 and 1");
    }
    this.threshold = (long) Math.floor(rate * TWO_53);
  }

  /** Whether the packet of this fingerprint is selected; a packet without fingerprint (0) never. */
  public boolean selects(long fingerprint) {
    return fingerprint != 0 && (Fingerprint.fmix(fingerprint) >>> 11) < threshold;
  }
}
