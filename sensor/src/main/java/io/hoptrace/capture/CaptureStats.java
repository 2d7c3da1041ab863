package io.hoptrace.capture;

import java.util.Map;

/**
 * What a capture reader has done so far.
 *
 * @param packets packets delivered to the handler
 * @param bytes captured bytes delivered
 * @param skipped blocks or records passed over, by reason (only reasons that occurred)
 * @param truncatedAtEnd the input ends inside a record or block (the packets before were delivered)
 * @param errorMessage one line saying why reading stopped early (truncation or corruption), or null
 */
public record CaptureStats(
    long packets,
    long bytes,
    Map<SkipReason, Long> skipped,
    boolean truncatedAtEnd,
    String errorMessage) {

  public CaptureStats {
    skipped = Map.copyOf(skipped);
  }

  /** Total blocks or records skipped, all reasons. */
  public long skippedTotal() {
    return skipped.values().stream().mapToLong(Long::longValue).sum();
  }

  /** True when reading ended at the end of the input without an error. */
  public boolean complete() {
    return errorMessage == null;
  }
}
