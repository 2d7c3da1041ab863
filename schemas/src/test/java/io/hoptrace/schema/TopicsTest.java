package io.hoptrace.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopicsTest {

  @Test
  void defaultTopicsCarryTheHoptracePrefix() {
    Topics topics = Topics.defaults();

    assertThat(topics.all())
        .containsExactly(
            "hoptrace.packets",
            "hoptrace.nodes",
            "hoptrace.drops",
            "hoptrace.flows",
            "hoptrace.alerts",
            "hoptrace.alerts.ecs",
            "hoptrace.incidents");
  }

  @Test
  void aCustomPrefixRenamesEveryTopicAndOnlyNodesIsCompacted() {
    Topics topics = Topics.withPrefix("lab1-");

    assertThat(topics.packets()).isEqualTo("lab1-packets");
    assertThat(topics.alertsEcs()).isEqualTo("lab1-alerts.ecs");
    assertThat(topics.all()).filteredOn(topics::isCompacted).containsExactly("lab1-nodes");
    assertThat(Topics.withPrefix("")).extracting(Topics::nodes).isEqualTo("nodes");
  }

  @Test
  void aPrefixKafkaWouldRejectIsRefusedUpFront() {
    assertThatThrownBy(() -> Topics.withPrefix("bad prefix/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad prefix/");
    assertThatThrownBy(() -> Topics.withPrefix("x".repeat(250)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
