package io.hoptrace.flink;

import static io.hoptrace.lab.Lab.*;
import static io.hoptrace.lab.Pkt.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.detect.FlowDetector;
import io.hoptrace.lab.Lab;
import io.hoptrace.lab.Pkt;
import io.hoptrace.schema.PacketSummary;
import org.junit.jupiter.api.Test;

/**
 * NAT fingerprints in keyed state are forgotten once too old to link, even for a key never seen
 * again ({@link SweptFingerprints}: the core's own sweep reaches only the key in hand).
 */
class FingerprintSweepTest {
  final Lab lab = new Lab();

  @Test
  void aKeysFingerprintsAreForgottenWhenEventTimePassesTheirRetention() throws Exception {
    DetectionConfig cfg = DetectionConfig.defaults();
    long retentionMs = FlowDetector.fingerprintRetentionNanos(cfg) / 1_000_000L;
    Pkt syn = tcp("192.168.232.1", 50000, B_IP, 30080, SYN, 100, 0, 0);
    PacketSummary outside = lab.at(syn, sec(0), B_UP);
    long t0 = sec(0) / 1_000_000L;
    String key = outside.getFlowKey();
    try (StageHarness s = new StageHarness(cfg, t0)) {
      s.nodes(Lab.inventory());
      s.send(key, outside);
      assertThat(s.fingerprints(key)).isPositive();
      s.watermark(t0 + retentionMs - 1_000);
      assertThat(s.fingerprints(key)).as("still within the retention").isPositive();
      s.watermark(t0 + retentionMs + 2_000);
      assertThat(s.fingerprints(key)).as("past the retention").isZero();
    }
  }
}
