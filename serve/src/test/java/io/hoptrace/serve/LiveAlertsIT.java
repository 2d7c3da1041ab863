package io.hoptrace.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hoptrace.embedded.EmbeddedKafka;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.AvroSerde;
import io.hoptrace.schema.KafkaClientSettings;
import io.hoptrace.schema.Topics;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Live alerts through a real broker: serve with a bootstrap and no store follows the alerts topic
 * (read_committed, from a transactional producer) and pushes each new alert to a connected client;
 * an alert already on the topic when serve starts is not pushed (the store lists those).
 */
class LiveAlertsIT {
  @Test
  void newAlertsOnTheTopicArePushedToTheStream() throws Exception {
    String topic = Topics.defaults().alerts();
    try (EmbeddedKafka kafka = EmbeddedKafka.start();
        KafkaProducer<String, Alert> producer = producer(kafka)) {
      kafka.createTopic(topic, 1, false);
      producer.initTransactions();
      send(producer, topic, BlockedFlowStore.alert(AlertStatus.FIRING, 1));
      try (ApiServer server =
          ApiServer.start(
              new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
              null,
              KafkaClientSettings.plain(kafka.bootstrapServers()),
              topic)) {
        HttpClient http = HttpClient.newHttpClient();
        URI base = URI.create(server.url());
        JsonNode status =
            Json.MAPPER.readTree(
                http.send(
                        HttpRequest.newBuilder(base.resolve("/api/status")).build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body());
        assertThat(status.path("live").asBoolean()).isTrue();
        assertThat(status.path("store").isNull()).isTrue();
        HttpResponse<String> flows =
            http.send(
                HttpRequest.newBuilder(base.resolve("/api/flows")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(flows.statusCode()).isEqualTo(503);
        assertThat(flows.body()).contains("without --store");

        HttpResponse<InputStream> events =
            http.send(
                HttpRequest.newBuilder(base.resolve("/api/alerts/stream")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        BufferedReader in =
            new BufferedReader(new InputStreamReader(events.body(), StandardCharsets.UTF_8));
        assertThat(in.readLine()).isEqualTo(": connected");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.liveClients() < 1 && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        send(producer, topic, BlockedFlowStore.alert(AlertStatus.RESOLVED, 9));
        String line;
        JsonNode pushed = null;
        while (pushed == null && (line = in.readLine()) != null) {
          if (line.startsWith("data: ")) {
            pushed = Json.MAPPER.readTree(line.substring(6));
          }
        }
        assertThat(pushed).isNotNull();
        assertThat(pushed.path("status").asText()).isEqualTo("RESOLVED");
        assertThat(pushed.path("conversation_id").asText()).isEqualTo(BlockedFlowStore.BLOCKED);
        assertThat(pushed.path("lost_after").asText()).isEqualTo("node-b/ens33");
        events.body().close();
      }
    }
  }

  private static KafkaProducer<String, Alert> producer(EmbeddedKafka kafka) {
    Map<String, Object> cfg = new HashMap<>(kafka.clientConfig());
    cfg.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "live-alerts-it");
    return new KafkaProducer<>(cfg, new StringSerializer(), AvroSerde.alert().serializer());
  }

  private static void send(KafkaProducer<String, Alert> producer, String topic, Alert a) {
    producer.beginTransaction();
    producer.send(new ProducerRecord<>(topic, a.getId(), a));
    producer.commitTransaction();
  }
}
