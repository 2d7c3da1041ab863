package io.hoptrace.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.decode.DecoderConfig;
import io.hoptrace.replay.Analysis;
import io.hoptrace.replay.Recordings;
import io.hoptrace.replay.Replay;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.AlertType;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code run}'s view of the alerts topic on the real pipeline: a follower started after the
 * wrong-vtep recording learns the VTEP mismatch that is still firing (the FDB entry stays wrong
 * after the traffic ends), then receives exactly the records the job commits afterwards (the
 * vxlan-blocked recording's).
 */
class AlertFollowerIT {
  @Test
  void firingAtStartThenEveryNewRecord() throws Exception {
    try (EmbeddedPipeline p = EmbeddedPipeline.builder().start()) {
      Analysis.Result first =
          new Analysis(p, DecoderConfig.defaults(), InstantSource.system(), Duration.ofMinutes(2))
              .run(Recordings.manifest("wrong-vtep"), m -> {});
      int before = first.alertRecords().size();
      List<List<Alert>> atStart = new ArrayList<>();
      List<Alert> seen = Collections.synchronizedList(new ArrayList<>());
      try (AlertFollower f =
          AlertFollower.start(
              p.kafkaClients(),
              p.topics().alerts(),
              Duration.ofMinutes(1),
              atStart::add,
              seen::add)) {
        assertThat(atStart).hasSize(1);
        assertThat(atStart.get(0))
            .isNotEmpty()
            .allMatch(a -> a.getStatus() == AlertStatus.FIRING)
            .allMatch(a -> a.getType() == AlertType.VTEP_MISMATCH);
        assertThat(atStart.get(0)).hasSameElementsAs(AlertFollower.firing(first.alertRecords()));

        // moved to an hour from now: after the first replay's end of input, as demo does
        new Replay(p, DecoderConfig.defaults(), InstantSource.system(), Duration.ofMinutes(2))
            .startAt((System.currentTimeMillis() + 3_600_000L) * 1_000_000L)
            .run(Recordings.manifest("vxlan-blocked"), () -> false, m -> {});
        List<Alert> all = p.readAlerts();
        assertThat(all.subList(0, before)).isEqualTo(first.alertRecords());
        List<Alert> expected = all.subList(before, all.size());
        assertThat(expected).extracting(Alert::getType).contains(AlertType.ONE_WAY);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (seen.size() < expected.size() && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
        assertThat(seen).containsExactlyElementsOf(expected);
      }
    }
  }
}
