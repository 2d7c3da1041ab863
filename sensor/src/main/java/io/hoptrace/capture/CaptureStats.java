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

  /** Packet blocks that were corrupt and dropped ({@link SkipReason#packetLost()}), all reasons. */
  public long lostPackets() {
    return skipped.entrySet().stream()
        .filter(e -> e.getKey().packetLost())
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  /** Whether there is something to tell a person: reading stopped early, or packets were lost. */
  public boolean hasProblems() {
    return errorMessage != null || lostPackets() > 0;
  }

  /**
   * One line for a person: why reading stopped early (if it did), then how many packets were read,
   * then the corrupt packet blocks dropped, by reason; e.g. {@code "file ends inside a block at
   * offset 4242 (...): truncated capture; 17 packets read; corrupt packet blocks dropped: 2 unknown
   * interface, 1 bad packet length"}.
   */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    if (errorMessage != null) {
      sb.append(errorMessage).append("; ");
    }
    sb.append(packets).append(packets == 1 ? " packet read" : " packets read");
    String sep = "; corrupt packet blocks dropped: ";
    for (SkipReason r : SkipReason.values()) {
      Long n = skipped.get(r);
      if (r.packetLost() && n != null && n > 0) {
        sb.append(sep).append(n).append(' ').append(r.label());
        sep = ", ";
      }
    }
    return sb.toString();
  }

  /** True when reading ended at the end of the input without an error. */
  public boolean complete() {
    return errorMessage == null;
  }
}
