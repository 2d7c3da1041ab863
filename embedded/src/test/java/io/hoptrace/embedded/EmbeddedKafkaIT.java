package io.hoptrace.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaIT {

  @Test
  void committedTransactionsAreVisibleToReadCommittedConsumersAndAbortedOnesAreNot() {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      kafka.createTopic("tx-test", 3, false);
      try (KafkaProducer<String, String> producer = transactionalProducer(kafka)) {
        producer.initTransactions();
        producer.beginTransaction();
        for (int i = 0; i < 10; i++) {
          producer.send(new ProducerRecord<>("tx-test", "k" + i, "committed-" + i));
        }
        producer.commitTransaction();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>("tx-test", "k-aborted", "aborted"));
        producer.flush();
        producer.abortTransaction();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>("tx-test", "k-last", "committed-last"));
        producer.commitTransaction();
      }

      List<String> values = consumeValues(kafka, "tx-test", 11);

      assertThat(values)
          .hasSize(11)
          .contains("committed-0", "committed-9", "committed-last")
          .doesNotContain("aborted");
    }
  }

  @Test
  void aRestartOnTheSameDataDirectoryKeepsTopicsAndRecords(@TempDir Path dir) throws Exception {
    String firstBootstrap;
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir)) {
      firstBootstrap = kafka.bootstrapServers();
      kafka.createTopic("durable", 2, false);
      kafka.createTopic("inventory", 1, true);
      try (KafkaProducer<String, String> producer = plainProducer(kafka)) {
        for (int i = 0; i < 20; i++) {
          producer
              .send(new ProducerRecord<>("durable", "k" + i, "v" + i))
              .get(30, TimeUnit.SECONDS);
        }
      }
    }
    assertThat(dir).isDirectory();

    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir)) {
      List<String> values = consumeValues(kafka, "durable", 20);
      TopicDescription inventory =
          kafka.admin().describeTopics(Set.of("inventory")).allTopicNames().get().get("inventory");
      String cleanup =
          kafka
              .admin()
              .describeConfigs(Set.of(new ConfigResource(ConfigResource.Type.TOPIC, "inventory")))
              .all()
              .get()
              .values()
              .iterator()
              .next()
              .get(TopicConfig.CLEANUP_POLICY_CONFIG)
              .value();

      assertThat(values).hasSize(20).contains("v0", "v19");
      assertThat(inventory.partitions()).hasSize(1);
      assertThat(cleanup).isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
      assertThat(kafka.bootstrapServers()).isNotBlank();
    }
    assertThat(firstBootstrap).startsWith("127.0.0.1:");
    assertThat(dir).as("a given data directory is kept").isDirectory();
  }

  @Test
  void aTemporaryDataDirectoryIsDeletedOnClose() {
    Path dir;
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      dir = kafka.dataDir();
      kafka.createTopics("a", "b");
      assertThat(Files.isDirectory(dir)).isTrue();
    }

    assertThat(dir).doesNotExist();
  }

  private static KafkaProducer<String, String> transactionalProducer(EmbeddedKafka kafka) {
    Map<String, Object> config = kafka.clientConfig();
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "embedded-it");
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }

  private static KafkaProducer<String, String> plainProducer(EmbeddedKafka kafka) {
    return new KafkaProducer<>(
        kafka.clientConfig(), new StringSerializer(), new StringSerializer());
  }

  private static List<String> consumeValues(EmbeddedKafka kafka, String topic, int expected) {
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + topic + "-" + System.nanoTime());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (values.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          values.add(r.value());
        }
      }
      // one more short poll: nothing beyond the expected records (e.g. the aborted one) arrives
      consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
    }
    return values;
  }
}
