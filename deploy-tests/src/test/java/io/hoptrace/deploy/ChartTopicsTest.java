package io.hoptrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.pipeline.DetectionTopics;
import io.hoptrace.schema.TopicSettings;
import io.hoptrace.schema.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The chart's KafkaTopic resources are the topics the detection job creates itself ({@link
 * DetectionTopics#newTopics}, the project's one definition): the same names, partitions and
 * configs, plus the chart's retention on every topic that is not compacted; and {@code hoptrace
 * pcap}'s request and answer topics ({@link TopicSettings#pcapTopics}) as they are. A topic added
 * or changed in Java without the chart (or the reverse) fails here.
 */
class ChartTopicsTest {

  static final List<String> VALUES = Deploy.VALUES;

  record TopicSpec(String name, int partitions, int replicas, Map<String, String> config) {}

  @ParameterizedTest
  @FieldSource("VALUES")
  void kafkaTopicsAreTheJobsTopics(String valuesFile) {
    ChartValues values = ChartValues.of(valuesFile);
    int replicas = values.integer("kafka.replicationFactor");
    String retention = String.valueOf(((Number) values.get("topics.retentionMs")).longValue());
    Topics topics = Topics.withPrefix((String) values.get("topicPrefix"));
    List<TopicSpec> expected = new ArrayList<>();
    DetectionTopics.newTopics(
            topics, values.integer("topics.packetsPartitions"), Optional.of((short) replicas))
        .forEach(t -> expected.add(expected(t, retention)));
    // hoptrace pcap's topics keep their own retention (an hour), whatever the chart's
    TopicSettings.pcapTopics(topics, Optional.of((short) replicas))
        .forEach(t -> expected.add(expected(t, null)));

    List<TopicSpec> chart =
        Deploy.manifests(valuesFile).stream()
            .filter(m -> m.kind().equals("KafkaTopic"))
            .map(ChartTopicsTest::fromChart)
            .toList();

    assertThat(chart).containsExactlyInAnyOrderElementsOf(expected);
  }

  private static TopicSpec expected(NewTopic t, String retention) {
    Map<String, String> config = new TreeMap<>(t.configs());
    if (retention != null
        && !TopicConfig.CLEANUP_POLICY_COMPACT.equals(
            config.get(TopicConfig.CLEANUP_POLICY_CONFIG))) {
      config.put(TopicConfig.RETENTION_MS_CONFIG, retention);
    }
    return new TopicSpec(t.name(), t.numPartitions(), t.replicationFactor(), config);
  }

  private static TopicSpec fromChart(Manifest m) {
    Map<?, ?> spec = (Map<?, ?>) m.content().get("spec");
    Map<String, String> config = new TreeMap<>();
    ((Map<?, ?>) spec.get("config")).forEach((k, v) -> config.put((String) k, String.valueOf(v)));
    return new TopicSpec(
        (String) spec.get("topicName"),
        ((Number) spec.get("partitions")).intValue(),
        ((Number) spec.get("replicas")).intValue(),
        config);
  }
}
