package io.hoptrace.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EventClockTest {
  private static final long S = 1_000_000_000L;

  @Test
  void noTimeBeforeTheFirstRecord() {
    assertThat(new EventClock(2 * S).now(100 * S)).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void whileRecordsArriveTheWallClockPlaysNoPart() {
    EventClock c = new EventClock(2 * S);
    c.observe(1_000 * S, 50 * S);
    // a slow host: 1.9 s of wall time between records, event time stays the records'
    assertThat(c.now(51_900_000_000L)).isEqualTo(1_000 * S);
    c.observe(1_000 * S + 10, 51_900_000_000L);
    assertThat(c.now(53 * S)).isEqualTo(1_000 * S + 10);
  }

  @Test
  void aSilentInputRunsOnWithTheWallClockFromTheLastRecord() {
    EventClock c = new EventClock(2 * S);
    c.observe(1_000 * S, 50 * S);
    c.observe(999 * S, 51 * S); // an older record still counts as input
    assertThat(c.now(52_999_999_999L)).isEqualTo(1_000 * S);
    assertThat(c.now(53 * S)).isEqualTo(1_002 * S);
    assertThat(c.now(61 * S)).isEqualTo(1_010 * S);
  }

  @Test
  void aRecordAfterSilenceStopsTheExtrapolation() {
    EventClock c = new EventClock(2 * S);
    c.observe(1_000 * S, 50 * S);
    assertThat(c.now(60 * S)).isEqualTo(1_010 * S);
    c.observe(1_001 * S, 60 * S);
    assertThat(c.now(61 * S)).isEqualTo(1_001 * S);
  }

  @Test
  void theExtrapolationAloneIsNoTimeWhileRecordsArrive() {
    EventClock c = new EventClock(2 * S);
    assertThat(c.extrapolated(10 * S)).isEqualTo(Long.MIN_VALUE);
    assertThat(c.wallWhen(5 * S)).isEqualTo(Long.MIN_VALUE);
    c.observe(1_000 * S, 50 * S);
    assertThat(c.extrapolated(51_999_999_999L)).isEqualTo(Long.MIN_VALUE);
    assertThat(c.extrapolated(52 * S)).isEqualTo(1_002 * S);
    assertThat(c.extrapolated(55 * S)).isEqualTo(c.now(55 * S));
  }

  @Test
  void theWallTimeAnEventTimeIsReachedAtIsNoEarlierThanTheSilence() {
    EventClock c = new EventClock(2 * S);
    c.observe(1_000 * S, 50 * S);
    // due within the silence threshold: when the silence is recognised
    assertThat(c.wallWhen(1_000 * S + 1)).isEqualTo(52 * S);
    assertThat(c.wallWhen(999 * S)).isEqualTo(52 * S);
    // further ahead: when the extrapolation gets there
    assertThat(c.wallWhen(1_007 * S)).isEqualTo(57 * S);
    assertThat(c.extrapolated(c.wallWhen(1_007 * S))).isEqualTo(1_007 * S);
  }

  @Test
  void zeroThresholdIsThePlainExtrapolation() {
    EventClock c = new EventClock(0);
    c.observe(1_000 * S, 50 * S);
    assertThat(c.now(50_500_000_000L)).isEqualTo(1_000_500_000_000L);
  }

  @Test
  void thresholdFromTheSettings() {
    EventClock c =
        EventClock.of(
            DetectionConfig.fromMap(java.util.Map.of(DetectionConfig.SILENCE_MS.key(), "500")));
    c.observe(1_000 * S, 50 * S);
    assertThat(c.now(50_400_000_000L)).isEqualTo(1_000 * S);
    assertThat(c.now(50_500_000_000L)).isEqualTo(1_000_500_000_000L);
  }

  @Test
  void negativeThresholdRefused() {
    assertThatThrownBy(() -> new EventClock(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
