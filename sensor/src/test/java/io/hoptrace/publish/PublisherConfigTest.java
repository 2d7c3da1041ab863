package io.hoptrace.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.schema.TopicSettings;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class PublisherConfigTest {

  @Test
  void defaultsAreTheMeasuredProducerSettings() {
    Map<String, Object> producer =
        PublisherConfig.forBootstrap("k1:9092,k2:9092").producerProperties();

    assertThat(producer)
        .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "k1:9092,k2:9092")
        .containsEntry(ProducerConfig.LINGER_MS_CONFIG, 20)
        .containsEntry(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024)
        .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4")
        .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
        .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
        .containsEntry(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5)
        .containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1000L);
    assertThat(PublisherConfig.forBootstrap("k1:9092").topics().packets())
        .isEqualTo("hoptrace.packets");
  }

  @Test
  void aPacketsTopicCreatedByTheSensorHasTheJobsPartitionCount() {
    assertThat(PublisherConfig.forBootstrap("k1:9092").packetsPartitions())
        .isEqualTo(TopicSettings.DEFAULT_PACKETS_PARTITIONS);
  }

  @Test
  void everySettingIsDocumented() {
    assertThat(PublisherConfig.definition().configKeys().values())
        .allSatisfy(key -> assertThat(key.documentation).isNotBlank());
  }

  @Test
  void prefixedClientSettingsPassThroughToBothClients() {
    PublisherConfig config =
        new PublisherConfig(
            Map.of(PublisherConfig.BOOTSTRAP_SERVERS, "k:9092", "kafka.security.protocol", "SSL"));

    assertThat(config.producerProperties()).containsEntry("security.protocol", "SSL");
    assertThat(config.adminProperties()).containsEntry("security.protocol", "SSL");
  }

  @Test
  void invalidSettingsAreRefusedWithTheKeyNamed() {
    assertThatThrownBy(() -> new PublisherConfig(Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("bootstrap.servers");
    assertThatThrownBy(() -> config(PublisherConfig.ACKS, "1"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("acks=all");
    assertThatThrownBy(() -> config(PublisherConfig.TOPIC_PREFIX, "no spaces"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("topic.prefix");
    assertThatThrownBy(() -> config(PublisherConfig.COMPRESSION_TYPE, "brotli"))
        .isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> config(PublisherConfig.REPLICATION_FACTOR, "0"))
        .isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> config(PublisherConfig.LINGER_MS, "-1"))
        .isInstanceOf(ConfigException.class);
  }

  @Test
  void acksOneIsAllowedWithoutIdempotence() {
    PublisherConfig config =
        new PublisherConfig(
            Map.of(
                PublisherConfig.BOOTSTRAP_SERVERS, "k:9092",
                PublisherConfig.ACKS, "1",
                PublisherConfig.ENABLE_IDEMPOTENCE, "false"));

    assertThat(config.producerProperties()).containsEntry(ProducerConfig.ACKS_CONFIG, "1");
    assertThat(config.replicationFactor()).isEmpty();
  }

  private static PublisherConfig config(String key, String value) {
    return new PublisherConfig(Map.of(PublisherConfig.BOOTSTRAP_SERVERS, "k:9092", key, value));
  }
}
