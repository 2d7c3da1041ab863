package io.hoptrace.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.embedded.EmbeddedKafka;
import io.hoptrace.metrics.SensorMetrics;
import io.hoptrace.schema.AvroSerde;
import io.hoptrace.schema.NodeInventory;
import io.hoptrace.schema.PacketSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SummaryPublisherIT {

  private static final int FLOWS = 40;
  private static final int PACKETS_PER_FLOW_PER_NODE = 25;
  private static final List<String> NODES = List.of("node-a", "node-b");

  private static EmbeddedKafka kafka;

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

  @Test
  void everyHopOfAFlowLandsInOnePartitionAndEverySummaryArrives() throws Exception {
    SensorMetrics metrics = new SensorMetrics(new SimpleMeterRegistry());
    // more than one partition, to see every hop of a flow land in one
    PublisherConfig config =
        new PublisherConfig(
            Map.of(
                PublisherConfig.BOOTSTRAP_SERVERS,
                kafka.bootstrapServers(),
                PublisherConfig.TOPIC_PREFIX,
                "it1.",
                PublisherConfig.PACKETS_PARTITIONS,
                6));
    int total = FLOWS * PACKETS_PER_FLOW_PER_NODE * NODES.size();
    try (SummaryPublisher publisher = new SummaryPublisher(config, metrics)) {
      for (int seq = 0; seq < PACKETS_PER_FLOW_PER_NODE; seq++) {
        for (int flow = 0; flow < FLOWS; flow++) {
          for (String node : NODES) {
            publisher.publish(Summaries.flowKey(flow), Summaries.tcp(node, flow, seq));
          }
        }
      }
      publisher.flush();

      assertThat(publisher.sent()).isEqualTo(total);
      assertThat(publisher.failed()).isZero();
      assertThat(metrics.sentCount()).isEqualTo(total);
    }

    List<ConsumerRecord<String, PacketSummary>> records =
        consume("it1.packets", AvroSerde.packetSummary().deserializer(), total);

    assertThat(records).hasSize(total);
    assertThat(partitionCount("it1.packets")).isEqualTo(6);
    Map<String, Set<Integer>> partitionsByKey =
        records.stream()
            .collect(
                Collectors.groupingBy(
                    ConsumerRecord::key,
                    Collectors.mapping(ConsumerRecord::partition, Collectors.toSet())));
    assertThat(partitionsByKey).hasSize(FLOWS);
    assertThat(partitionsByKey.values()).allSatisfy(p -> assertThat(p).hasSize(1));
    assertThat(partitionsByKey.values().stream().flatMap(Set::stream).distinct().count())
        .as("flows spread over several partitions")
        .isGreaterThan(1);
    assertThat(records).allSatisfy(r -> assertThat(r.value().getFlowKey()).isEqualTo(r.key()));
    Map<String, Long> perNode =
        records.stream()
            .collect(Collectors.groupingBy(r -> r.value().getNode(), Collectors.counting()));
    assertThat(perNode)
        .containsOnly(Map.entry("node-a", (long) total / 2), Map.entry("node-b", (long) total / 2));
  }

  @Test
  void inventoriesGoToTheCompactedNodesTopicKeyedByNode() throws Exception {
    PublisherConfig config = config("it2.");
    try (SummaryPublisher publisher =
        new SummaryPublisher(config, new SensorMetrics(new SimpleMeterRegistry()))) {
      publisher.publishInventory(Summaries.inventory("node-a", 1450));
      publisher.publishInventory(Summaries.inventory("node-b", 1450));
      publisher.publishInventory(Summaries.inventory("node-a", 1400));
      publisher.flush();
      assertThat(publisher.inventoriesSent()).isEqualTo(3);
    }

    List<ConsumerRecord<String, NodeInventory>> records =
        consume("it2.nodes", AvroSerde.nodeInventory().deserializer(), 3);
    String cleanup =
        kafka
            .admin()
            .describeConfigs(Set.of(new ConfigResource(ConfigResource.Type.TOPIC, "it2.nodes")))
            .all()
            .get(30, TimeUnit.SECONDS)
            .values()
            .iterator()
            .next()
            .get(TopicConfig.CLEANUP_POLICY_CONFIG)
            .value();

    assertThat(cleanup).isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
    assertThat(records)
        .extracting(ConsumerRecord::key)
        .containsExactlyInAnyOrder("node-a", "node-b", "node-a");
    assertThat(records)
        .allSatisfy(r -> assertThat(r.value().getNode()).isEqualTo(r.key()))
        .filteredOn(r -> r.key().equals("node-a"))
        .extracting(r -> r.value().getInterfaces().get(0).getMtu())
        .containsExactly(1450, 1400);
  }

  @Test
  void anUnreachableBrokerCostsCountedFailuresNotAStall() {
    Map<String, Object> settings = new HashMap<>();
    settings.put(PublisherConfig.BOOTSTRAP_SERVERS, "127.0.0.1:9");
    settings.put(PublisherConfig.TOPIC_CREATE, "false");
    settings.put(PublisherConfig.MAX_BLOCK_MS, "300");
    settings.put(PublisherConfig.OUTAGE_BACKOFF_MS, "60000");
    SensorMetrics metrics = new SensorMetrics(new SimpleMeterRegistry());
    try (SummaryPublisher publisher =
        new SummaryPublisher(new PublisherConfig(settings), metrics)) {
      for (int i = 0; i < 1000; i++) {
        publisher.publish(Summaries.flowKey(i), Summaries.tcp("node-a", i, i));
      }

      assertThat(publisher.failed()).isEqualTo(1000);
      assertThat(metrics.sendFailedCount()).isEqualTo(1000.0);
      assertThat(publisher.sent()).isZero();
    }
  }

  private static PublisherConfig config(String prefix) {
    return new PublisherConfig(
        Map.of(
            PublisherConfig.BOOTSTRAP_SERVERS,
            kafka.bootstrapServers(),
            PublisherConfig.TOPIC_PREFIX,
            prefix));
  }

  private static int partitionCount(String topic) throws Exception {
    return kafka
        .admin()
        .describeTopics(Set.of(topic))
        .allTopicNames()
        .get(30, TimeUnit.SECONDS)
        .get(topic)
        .partitions()
        .size();
  }

  private static <V> List<ConsumerRecord<String, V>> consume(
      String topic, Deserializer<V> values, int expected) {
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + topic);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, V>> out = new ArrayList<>();
    try (KafkaConsumer<String, V> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), values)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (out.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      consumer.poll(Duration.ofMillis(300)).forEach(out::add);
    }
    return out;
  }
}
