package io.hoptrace.flink;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Chained after stage 1: passes its records and watermarks on, never its idleness, so stages 2 and
 * 3 see every upstream subtask as active and wait for each one's watermark.
 *
 * <p>Why: a downstream subtask ignores an idle channel's watermark. When the input paused long
 * enough for every partition to go idle and then went on, the subtasks of a stage woke up one after
 * the other; a stage-3 subtask whose first stage-2 channel was active again took that channel's
 * watermark (the end of input, say) while the other channel, still idle, had alerts to send with
 * timestamps far behind it — they arrived late, after the incident they belonged to had been
 * expired, and opened a second incident of the same id (docs/detection.md, "Kernel drop reasons").
 * Idleness is still honoured where it belongs: at the sources (empty or finished partitions) and at
 * stage 1's inputs; every stage-1 subtask reads every source subtask, so all of them see the same
 * watermarks, and none holds the others back for long by staying active.
 */
final class StaysActive<T> extends AbstractStreamOperator<T>
    implements OneInputStreamOperator<T, T> {
  private static final long serialVersionUID = 1L;

  @Override
  public void processElement(StreamRecord<T> r) {
    output.collect(r);
  }

  /** Not passed on: downstream, this subtask is active and its last watermark holds. */
  @Override
  public void processWatermarkStatus(WatermarkStatus status) {}
}
