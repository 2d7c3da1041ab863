package io.hoptrace.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.embedded.EmbeddedKafka;
import io.hoptrace.schema.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * Records stamped with the capture time of last week's traffic (as the job's alerts and flows are)
 * survive the broker's time-based retention on hoptrace's topics. Found when the bundled lab
 * recordings turned 8 days old: RestartIT's first alert vanished whenever the broker's first
 * retention check (30 s after start) fell inside the test.
 */
class OldCapturesRetentionIT {
  private static final long EIGHT_DAYS_MS = Duration.ofDays(8).toMillis();

  @Test
  void recordsStampedWithOldCaptureTimesOutliveTheRetentionCheck() throws Exception {
    try (EmbeddedKafka k =
        EmbeddedKafka.builder()
            .brokerProperty("log.retention.check.interval.ms", "500")
            .brokerProperty("log.initial.task.delay.ms", "0")
            .start()) {
      Topics topics = Topics.defaults();
      k.createTopics(DetectionTopics.newTopics(topics, 1, Optional.of((short) 1)));
      // the control: a topic as the broker makes it by default, which must lose them
      k.createTopics(List.of(new NewTopic("control", 1, (short) 1)));
      List<String> names =
          List.of(topics.packets(), topics.flows(), topics.alerts(), topics.alertsEcs(), "control");
      long old = System.currentTimeMillis() - EIGHT_DAYS_MS;
      try (KafkaProducer<byte[], byte[]> p =
          new KafkaProducer<>(
              k.clientConfig(), new ByteArraySerializer(), new ByteArraySerializer())) {
        for (String t : names) {
          for (int i = 0; i < 10; i++) {
            p.send(new ProducerRecord<>(t, 0, old + i, null, new byte[] {(byte) i}));
          }
        }
        p.flush();
      }
      Thread.sleep(4_000); // several retention checks
      Map<String, Integer> left = new HashMap<>();
      for (String t : names) {
        left.put(t, count(k, t));
      }
      assertThat(left.get("control")).as("the control topic lost its old records").isZero();
      assertThat(left)
          .containsEntry(topics.packets(), 10)
          .containsEntry(topics.flows(), 10)
          .containsEntry(topics.alerts(), 10)
          .containsEntry(topics.alertsEcs(), 10);
    }
  }

  private static int count(EmbeddedKafka k, String topic) {
    Map<String, Object> cfg = new HashMap<>(k.clientConfig());
    cfg.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    cfg.put(ConsumerConfig.GROUP_ID_CONFIG, "count-" + topic);
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(cfg, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      c.subscribe(List.of(topic));
      List<Object> seen = new ArrayList<>();
      long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (System.nanoTime() < end && seen.size() < 10) {
        c.poll(Duration.ofMillis(200)).forEach(seen::add);
      }
      return seen.size();
    }
  }
}
