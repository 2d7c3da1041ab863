package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.evidence.HopRings;
import org.junit.jupiter.api.Test;

/** {@link RingOptions}: which rings a sensor keeps for its options and its heap. */
class RingOptionsTest {
  private static final long GB = 1L << 30;

  private static RingOptions options(Integer seconds, String bytes) {
    RingOptions o = new RingOptions();
    o.seconds = seconds;
    o.bytes = bytes;
    return o;
  }

  @Test
  void liveSensorsKeepRingsByDefaultReplaysOnlyWhenAsked() {
    HopRings live = options(null, null).rings(false, 2 * GB);
    assertThat(live.totalBytes()).isEqualTo(64L << 20);
    assertThat(options(null, null).rings(true, 2 * GB)).isNull();
    assertThat(options(3600, null).rings(true, 2 * GB).totalBytes()).isEqualTo(64L << 20);
    assertThat(options(null, "16m").rings(true, 2 * GB).totalBytes()).isEqualTo(16L << 20);
    assertThat(options(null, "0").rings(false, 2 * GB)).isNull();
  }

  @Test
  void theDefaultShrinksToAQuarterOfASmallHeapAGivenSizeDoesNot() {
    assertThat(options(null, null).rings(false, 100L << 20).totalBytes()).isEqualTo(25L << 20);
    assertThat(options(null, null).rings(false, 256L << 10))
        .as("no room at all: a quarter is under 128 KiB")
        .isNull();
    assertThatThrownBy(() -> options(null, "64m").rings(false, 100L << 20))
        .hasMessageStartingWith("--ring-bytes 64m: more than half the JVM's heap (100 MB)");
  }
}
