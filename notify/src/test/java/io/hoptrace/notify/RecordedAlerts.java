package io.hoptrace.notify;

import io.hoptrace.decode.DecoderConfig;
import io.hoptrace.pipeline.EmbeddedPipeline;
import io.hoptrace.replay.Analysis;
import io.hoptrace.replay.Recordings;
import io.hoptrace.schema.Alert;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The alert records a bundled recording gives through the real pipeline, computed once per JVM. */
final class RecordedAlerts {
  private static final Map<String, List<Alert>> CACHE = new HashMap<>();

  private RecordedAlerts() {}

  /**
   * Every alert record (FIRING, updates, RESOLVED at end of input) of {@code scenario}, in order.
   */
  static synchronized List<Alert> of(String scenario) {
    return CACHE.computeIfAbsent(
        scenario,
        s -> {
          try (EmbeddedPipeline p = EmbeddedPipeline.builder().start()) {
            return new Analysis(
                    p, DecoderConfig.defaults(), InstantSource.system(), Duration.ofMinutes(2))
                .run(Recordings.manifest(s), msg -> {})
                .alertRecords();
          } catch (Exception e) {
            throw new IllegalStateException("replaying " + s + ": " + e, e);
          }
        });
  }
}
