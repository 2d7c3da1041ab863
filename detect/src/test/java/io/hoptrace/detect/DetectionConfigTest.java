package io.hoptrace.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DetectionConfigTest {
  @Test
  void defaultsAreTheSpecDefaults() {
    DetectionConfig c = DetectionConfig.defaults();
    assertThat(c.get(DetectionConfig.ONE_WAY_WINDOW_MS)).isEqualTo(10_000L);
    assertThat(c.get(DetectionConfig.STORM_MIN_RETRANSMISSIONS)).isEqualTo(3L);
    assertThat(c.get(DetectionConfig.STORM_MIN_RATIO)).isEqualTo(0.10);
    assertThat(c.get(DetectionConfig.STORM_AGGREGATE_MIN_FLOWS)).isEqualTo(5L);
    assertThat(c.get(DetectionConfig.ICMP_MIN_COUNT)).isEqualTo(3L);
    assertThat(c.get(DetectionConfig.DNS_TIMEOUT_MS)).isEqualTo(2_000L);
    assertThat(c.get(DetectionConfig.DUPLICATE_CAPTURE_NS)).isEqualTo(1_000_000L);
    assertThat(c.get(DetectionConfig.ONE_WAY_UDP_NEVER_PORTS)).contains(514, 8125, 4789, 8472);
  }

  @Test
  void settingsAreReadPrefixedOrShortAndValidated() {
    DetectionConfig c =
        DetectionConfig.fromMap(
            Map.of(
                "hoptrace.detect.oneway.window.ms",
                "5000",
                "storm.min.ratio",
                "0.2",
                "other",
                "x"));
    assertThat(c.get(DetectionConfig.ONE_WAY_WINDOW_MS)).isEqualTo(5000L);
    assertThat(c.get(DetectionConfig.STORM_MIN_RATIO)).isEqualTo(0.2);
    assertThatThrownBy(() -> DetectionConfig.fromMap(Map.of("hoptrace.detect.no.such", "1")))
        .hasMessageContaining("unknown detection setting");
    assertThatThrownBy(() -> DetectionConfig.fromMap(Map.of("storm.min.ratio", "2")))
        .hasMessageContaining("between 0 and 1");
    assertThatThrownBy(() -> DetectionConfig.fromMap(Map.of("oneway.window.ms", "soon")))
        .hasMessageContaining("invalid value 'soon' for oneway.window.ms");
  }

  @Test
  void everySettingIsDocumentedOnceAndPrintable() {
    assertThat(DetectionConfig.settings()).allSatisfy(s -> assertThat(s.doc()).isNotBlank());
    assertThat(DetectionConfig.settings()).extracting(Setting::key).doesNotHaveDuplicates();
    assertThat(DetectionConfig.defaults().asPrefixedStrings())
        .containsEntry("hoptrace.detect.oneway.udp.request.ports", "53,123");
    assertThat(
            DetectionConfig.fromMap(DetectionConfig.defaults().asPrefixedStrings())
                .asPrefixedStrings())
        .isEqualTo(DetectionConfig.defaults().asPrefixedStrings());
  }
}
