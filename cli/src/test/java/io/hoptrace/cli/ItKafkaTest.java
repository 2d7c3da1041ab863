package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

class ItKafkaTest {

  @Test
  void embeddedIsTheDefaultAndAnImageCanBeNamed() {
    assertThat(ItKafka.image(null)).isEmpty();
    assertThat(ItKafka.image("")).isEmpty();
    assertThat(ItKafka.image("embedded")).isEmpty();
    assertThat(ItKafka.image("testcontainers")).contains(ItKafka.DEFAULT_IMAGE);
    assertThat(ItKafka.image("testcontainers:apache/kafka:4.2.0")).contains("apache/kafka:4.2.0");
    assertThatThrownBy(() -> ItKafka.image("docker"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected 'embedded' (default), 'testcontainers'");
    assertThatThrownBy(() -> ItKafka.image("testcontainers:"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ItKafka.image("bootstrap:kafka:9092")).isEmpty();
    assertThatThrownBy(() -> ItKafka.image("bootstrap:"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anExistingKafkaIsPassedToAnalyze() {
    String old = System.setProperty(ItKafka.PROPERTY, "bootstrap:kafka.example:9092");
    try {
      assertThat(ItKafka.route("analyze", "m.json"))
          .containsExactly("analyze", "--bootstrap", "kafka.example:9092", "m.json");
      assertThat(ItKafka.route("decode", "f.pcap")).containsExactly("decode", "f.pcap");
    } finally {
      if (old == null) {
        System.clearProperty(ItKafka.PROPERTY);
      } else {
        System.setProperty(ItKafka.PROPERTY, old);
      }
    }
  }

  @Test
  void withTheEmbeddedBrokerCommandsAreRunAsGiven() {
    String old = System.clearProperty(ItKafka.PROPERTY);
    try {
      String[] args = {"analyze", "m.json"};
      assertThat(ItKafka.route(args)).containsExactly("analyze", "m.json");
      assertThat(ItKafka.route("decode", "f.pcap")).containsExactly("decode", "f.pcap");
    } finally {
      if (old != null) {
        System.setProperty(ItKafka.PROPERTY, old);
      }
    }
  }

  @Test
  void askingForAContainerWithoutDockerIsAClearFailure() {
    Assumptions.assumeFalse(
        DockerClientFactory.instance().isDockerAvailable(),
        "a Docker engine is reachable here: the container path would start Kafka instead");
    String old = System.setProperty(ItKafka.PROPERTY, "testcontainers");
    try {
      assertThatThrownBy(() -> ItKafka.route("analyze", "m.json"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("no Docker engine is reachable");
      // an explicit --bootstrap is left alone, no container needed
      assertThat(ItKafka.route("analyze", "--bootstrap", "h:1", "m.json"))
          .containsExactly("analyze", "--bootstrap", "h:1", "m.json");
    } finally {
      if (old == null) {
        System.clearProperty(ItKafka.PROPERTY);
      } else {
        System.setProperty(ItKafka.PROPERTY, old);
      }
    }
  }
}
