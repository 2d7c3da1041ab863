package io.hoptrace.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/** The one definition of topic settings: the sensor's topics are the job's, setting for setting. */
class TopicSettingsTest {

  private static Map<String, NewTopic> byName(List<NewTopic> topics) {
    return topics.stream().collect(Collectors.toMap(NewTopic::name, Function.identity()));
  }

  @Test
  void theSensorCreatesItsTopicsExactlyAsTheJobDoes() {
    Topics t = Topics.withPrefix("x.");
    Map<String, NewTopic> job =
        byName(TopicSettings.all(t, TopicSettings.DEFAULT_PACKETS_PARTITIONS, Optional.empty()));
    for (NewTopic s :
        TopicSettings.sensorTopics(t, TopicSettings.DEFAULT_PACKETS_PARTITIONS, Optional.empty())) {
      NewTopic j = job.get(s.name());
      assertThat(j).as(s.name()).isNotNull();
      assertThat(s.numPartitions()).as(s.name()).isEqualTo(j.numPartitions());
      assertThat(s.configs()).as(s.name()).isEqualTo(j.configs());
    }
    assertThat(job.keySet()).containsExactlyInAnyOrderElementsOf(t.all());
  }

  @Test
  void packetsPartitionsDefaultToOneAndOnlyNodesIsCompacted() {
    Topics t = Topics.defaults();
    Map<String, NewTopic> job =
        byName(TopicSettings.all(t, TopicSettings.DEFAULT_PACKETS_PARTITIONS, Optional.empty()));
    assertThat(job.get(t.packets()).numPartitions()).isEqualTo(1);
    for (NewTopic n : job.values()) {
      boolean compact = "compact".equals(n.configs().get("cleanup.policy"));
      assertThat(compact).as(n.name()).isEqualTo(t.isCompacted(n.name()));
      if (!compact) {
        assertThat(n.configs())
            .as(n.name())
            .containsEntry("message.timestamp.type", "LogAppendTime");
      }
    }
  }

  @Test
  void zeroPartitionsIsRefused() {
    assertThatThrownBy(() -> TopicSettings.all(Topics.defaults(), 0, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("packets partitions must be >= 1, got 0");
  }
}
