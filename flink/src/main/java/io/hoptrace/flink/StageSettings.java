package io.hoptrace.flink;

import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.schema.Topics;
import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * What both stage functions need, in a form Flink can ship to its task managers: the detection
 * settings as text (rebuilt with {@link DetectionConfig#fromMap}), the topic prefix and the timer
 * tick.
 *
 * @param settings {@link DetectionConfig#asPrefixedStrings()}
 * @param topicPrefix {@link Topics#prefix()}
 * @param tickMs timer granularity (ms)
 */
public record StageSettings(HashMap<String, String> settings, String topicPrefix, long tickMs)
    implements Serializable {

  public StageSettings(DetectionConfig cfg, Topics topics, Duration tick) {
    this(new HashMap<>(cfg.asPrefixedStrings()), topics.prefix(), tick.toMillis());
  }

  DetectionConfig detection() {
    return DetectionConfig.fromMap(Map.copyOf(settings));
  }

  Topics topics() {
    return Topics.withPrefix(topicPrefix);
  }

  Ticks ticks() {
    return new Ticks(tickMs);
  }
}
