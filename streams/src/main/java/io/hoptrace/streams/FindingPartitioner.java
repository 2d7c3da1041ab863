package io.hoptrace.streams;

import io.hoptrace.detect.Finding;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Findings by subject key (murmur2, as Kafka does); the end-of-input and progress markers of stage
 * 1 go to every partition.
 */
final class FindingPartitioner implements StreamPartitioner<String, Finding> {
  @Override
  public Optional<Set<Integer>> partitions(String topic, String key, Finding value, int n) {
    if (DetectionTopology.FLUSH_KEY.equals(key) || DetectionTopology.PROGRESS_KEY.equals(key)) {
      return Optional.of(IntStream.range(0, n).boxed().collect(Collectors.toSet()));
    }
    byte[] b = (key == null ? "" : key).getBytes(StandardCharsets.UTF_8);
    return Optional.of(Set.of(Utils.toPositive(Utils.murmur2(b)) % n));
  }
}
