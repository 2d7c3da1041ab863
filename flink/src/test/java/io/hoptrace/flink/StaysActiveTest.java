package io.hoptrace.flink;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.StreamMap;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * {@link StaysActive}: records and watermarks pass, idleness does not — where an operator that just
 * passes records on (Flink's map) forwards it to the next stage.
 */
class StaysActiveTest {
  @Test
  void passesRecordsAndWatermarksButNotIdleness() throws Exception {
    assertThat(outputOf(new StreamMap<String, String>(s -> s)))
        .as("a plain operator passes idleness on")
        .contains(WatermarkStatus.IDLE, WatermarkStatus.ACTIVE);
    assertThat(outputOf(new StaysActive<>()))
        .containsExactly(
            new StreamRecord<>("a", 1L),
            new Watermark(5L),
            new StreamRecord<>("b", 9L),
            new Watermark(10L));
  }

  /** What the operator sends on: records and watermarks around a spell of idleness. */
  private static Object[] outputOf(OneInputStreamOperator<String, String> op) throws Exception {
    try (OneInputStreamOperatorTestHarness<String, String> h =
        new OneInputStreamOperatorTestHarness<>(op)) {
      h.open();
      h.processElement("a", 1L);
      h.processWatermark(5L);
      h.processWatermarkStatus(WatermarkStatus.IDLE);
      h.processWatermarkStatus(WatermarkStatus.ACTIVE);
      h.processElement("b", 9L);
      h.processWatermark(10L);
      return h.getOutput().toArray();
    }
  }
}
