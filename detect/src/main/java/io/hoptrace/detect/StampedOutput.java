package io.hoptrace.detect;

import io.hoptrace.schema.FlowRecord;

/**
 * The host's output as stage 1 hands it to detectors: every finding is stamped with the event time
 * the core is judging at ({@link #at}, set by {@link FlowDetector} before it calls detectors) and a
 * running sequence number, so stage 2 can put findings of several tasks in one order ({@link
 * FindingOrder}).
 */
final class StampedOutput implements DetectionOutput {
  private final DetectionOutput out;
  private long seq;

  /** The event time findings are made at now (ns). */
  long at = Long.MIN_VALUE;

  /**
   * The conversation being judged (null: none, e.g. the inventory audit): its firing alerts get
   * what the kernel said about its packets ({@link DropJoin}).
   */
  Conversation conv;

  /** How old a drop may be before {@link #at} and still be joined (ns). */
  private final long dropsMaxAgeNs;

  StampedOutput(DetectionOutput out, long dropsMaxAgeNs) {
    this.out = out;
    this.dropsMaxAgeNs = dropsMaxAgeNs;
  }

  @Override
  public void flow(FlowRecord record) {
    out.flow(record);
  }

  @Override
  public void finding(Finding finding) {
    Conversation c = conv;
    if (c != null && !c.drops.isEmpty() && finding.member().equals(c.id())) {
      long cutoff = at == Long.MIN_VALUE ? Long.MIN_VALUE : at - dropsMaxAgeNs;
      DropJoin.attach(finding.alert(), c.drops, cutoff);
    }
    out.finding(finding.stamped(at, ++seq));
  }
}
