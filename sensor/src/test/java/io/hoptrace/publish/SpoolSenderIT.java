package io.hoptrace.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.embedded.EmbeddedKafka;
import io.hoptrace.metrics.SensorMetrics;
import io.hoptrace.schema.AvroSerde;
import io.hoptrace.schema.PacketSummary;
import io.hoptrace.spool.Spool;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool's sender against a real broker: what a sensor spooled while no broker answered is sent
 * by the next sensor on the directory, in order, exactly once ({@code read_committed}); and what
 * Kafka already has (its transaction committed, the spool not told) is not sent again.
 */
class SpoolSenderIT {

  private static EmbeddedKafka kafka;

  @TempDir Path tmp;

  @BeforeAll
  static void startKafka() {
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stopKafka() {
    if (kafka != null) {
      kafka.close();
    }
  }

  private static PublisherConfig config(String bootstrap, String prefix) {
    Map<String, Object> s = new HashMap<>();
    s.put(PublisherConfig.BOOTSTRAP_SERVERS, bootstrap);
    s.put(PublisherConfig.TOPIC_PREFIX, prefix);
    s.put(PublisherConfig.TOPIC_CREATE, false);
    return new PublisherConfig(s);
  }

  /** Spools {@code n} summaries while no broker answers, and stops with them spooled. */
  private void spoolWithoutBroker(Path dir, String prefix, int n) {
    SensorMetrics metrics = new SensorMetrics(new SimpleMeterRegistry());
    try (SummaryPublisher p =
        new SummaryPublisher(config("127.0.0.1:9", prefix), metrics, Spool.open(dir, 1 << 24))) {
      for (int i = 0; i < n; i++) {
        p.publish(Summaries.flowKey(i % 7), Summaries.tcp("node-a", i % 7, i));
      }
      assertThat(p.spool().records()).isEqualTo(n);
      assertThat(p.sent()).isZero();
    }
  }

  private static void createTopic(String topic) throws Exception {
    kafka
        .admin()
        .createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty())))
        .all()
        .get(30, TimeUnit.SECONDS);
  }

  /** Sends what the directory holds with a sensor that has a broker; returns what it counted. */
  private long sendWithBroker(Path dir, String prefix) {
    SensorMetrics metrics = new SensorMetrics(new SimpleMeterRegistry());
    try (SummaryPublisher p =
        new SummaryPublisher(
            config(kafka.bootstrapServers(), prefix), metrics, Spool.open(dir, 1 << 24))) {
      p.flush();
      assertThat(p.spool().records()).isZero();
      return p.sent();
    }
  }

  @Test
  void whatOneSensorSpooledTheNextSendsInOrderExactlyOnce() throws Exception {
    Path dir = tmp.resolve("spool");
    spoolWithoutBroker(dir, "sp1.", 1500);
    createTopic("sp1.packets");

    long sent = sendWithBroker(dir, "sp1.");

    List<PacketSummary> got = readCommitted("sp1.packets", 1500);
    assertThat(sent).isEqualTo(1500);
    assertThat(got).hasSize(1500);
    for (int i = 0; i < got.size(); i++) {
      assertThat(got.get(i)).isEqualTo(Summaries.tcp("node-a", i % 7, i));
    }
  }

  @Test
  void recordsKafkaAlreadyHasAreNotSentAgain() throws Exception {
    Path dir = tmp.resolve("spool");
    spoolWithoutBroker(dir, "sp2.", 1000);
    createTopic("sp2.packets");
    // as if a sender's transaction with the first 400 committed and the sensor died before the
    // spool learnt it: the position is in Kafka, the records not (they would be, in real life)
    String id = Files.readString(dir.resolve("id")).trim();
    kafka
        .admin()
        .alterConsumerGroupOffsets(
            "hoptrace-spool-" + id,
            Map.of(new TopicPartition("sp2.packets", 0), new OffsetAndMetadata(400)))
        .all()
        .get(30, TimeUnit.SECONDS);

    long sent = sendWithBroker(dir, "sp2.");

    List<PacketSummary> got = readCommitted("sp2.packets", 600);
    assertThat(sent).as("counted as sent, as they are in Kafka").isEqualTo(1000);
    assertThat(got).hasSize(600);
    assertThat(got.get(0)).isEqualTo(Summaries.tcp("node-a", 400 % 7, 400));
  }

  private static List<PacketSummary> readCommitted(String topic, int expected) {
    Map<String, Object> c = new HashMap<>(kafka.clientConfig());
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<PacketSummary> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      consumer.assign(Set.of(tp));
      consumer.seekToBeginning(Set.of(tp));
      long end = consumer.endOffsets(Set.of(tp), Duration.ofSeconds(30)).get(tp);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (consumer.position(tp) < end && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          out.add(AvroSerde.packetSummary().decode(r.value()));
        }
      }
      assertThat(out.size()).as("read %d of %d", out.size(), expected).isEqualTo(expected);
    }
    return out;
  }
}
