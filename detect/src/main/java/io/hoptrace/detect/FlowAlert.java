package io.hoptrace.detect;

/** Stage-1 state of one per-flow alert kind of a conversation (what stage 2 was told). */
final class FlowAlert {
  boolean active;
  long firstSeen = -1;
  long count;
  long reportedCount;
  long lastReport = -1;
  String reportedKey;
}
