package io.hoptrace.detect;

/**
 * Where {@link FlowDetector}'s event time comes from: what the host can vouch every input has
 * reached. A packet is settled as lost at a hop once event time is the lateness past it, so event
 * time must never run ahead of an input that still has its matches queued.
 */
public enum TimeBase {
  /**
   * The largest capture time of the records fed, and what the host passes to {@link
   * FlowDetector#advanceTo}: right when the instance reads one input whose records trail each other
   * by at most the lateness (a Kafka Streams task and its packets partition, an in-process replay).
   */
  RECORDS,

  /**
   * Only what the host passes to {@link FlowDetector#advanceTo} (its watermark, or the wall clock
   * once the input went silent): for an instance fed by several inputs that progress apart, as a
   * Flink subtask behind a {@code keyBy} is fed by every packets partition. The largest capture
   * time seen there is that of whichever partition ran ahead; judging a conversation of a partition
   * behind it at that time settles its packets before their next hop's reports arrive. A
   * conversation's own packets still move the time it is judged at on intake up to its latest one:
   * they all come through one partition (one routing key), whose records trail each other by at
   * most the lateness.
   */
  HOST
}
