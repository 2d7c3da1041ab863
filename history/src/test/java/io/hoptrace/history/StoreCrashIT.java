package io.hoptrace.history;

import static io.hoptrace.history.Records.SECOND;
import static io.hoptrace.history.Records.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.embedded.EmbeddedKafka;
import io.hoptrace.pipeline.DetectionTopics;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.AvroSerde;
import io.hoptrace.schema.Topics;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9 of the store writer while records flow: a writer in a child JVM is killed three times
 * mid-run (small batches, so most kills land in or near a flush), then a writer restarts on the
 * same store and drains the topics. Every flow and alert record is in the store exactly once, and
 * no temporary file or commit record is left.
 */
class StoreCrashIT {
  private static final int FLOWS = 24_000;
  private static final int PER_TRANSACTION = 200;
  private static final int ALERT_EVERY = 100;

  @TempDir Path store;
  @TempDir Path logs;

  @Test
  void killedWriterRestartsWithEveryRecordExactlyOnce() throws Exception {
    Topics topics = Topics.defaults();
    try (EmbeddedKafka k = EmbeddedKafka.start()) {
      k.createTopics(DetectionTopics.newTopics(topics, 1, Optional.of((short) 1)));
      AtomicInteger produced = new AtomicInteger();
      Thread producer = new Thread(() -> produce(k, topics, produced), "test-producer");
      producer.start();
      List<Integer> killedAt = new ArrayList<>();
      for (int kill = 0; kill < 3; kill++) {
        Process child = startChild(k.bootstrapServers(), kill);
        Thread.sleep(1_500 + 700L * kill); // let it write a few batches
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        killedAt.add(produced.get());
      }
      producer.join(120_000);
      assertThat(killedAt)
          .as("records were still flowing when the writers were killed")
          .allMatch(n -> n > 0 && n < FLOWS);
      assertThat(produced.get()).isEqualTo(FLOWS);
      try (Stream<Path> s = Files.walk(store)) {
        assertThat(s.filter(p -> p.toString().endsWith(".parquet")).count())
            .as("the killed writers published batches")
            .isPositive();
      }
      StoreWriter w =
          StoreWriter.start(store, k.bootstrapServers(), topics, StoreConfig.defaults());
      w.close(); // drains to the topics' ends
    }
    try (Stream<Path> s = Files.walk(store)) {
      assertThat(
              s.map(p -> p.getFileName().toString())
                  .filter(n -> n.endsWith(".tmp") || n.endsWith(".commit")))
          .as("temporary files and commit records left")
          .isEmpty();
    }
    try (StoreQuery q = StoreQuery.open(store)) {
      assertThat(q.sql("select count(*), count(distinct conversation_id) from flow_records").rows())
          .containsExactly(List.of((long) FLOWS, (long) FLOWS));
      assertThat(q.sql("select count(*) from flows").rows()).containsExactly(List.of((long) FLOWS));
      assertThat(q.sql("select count(*), count(distinct id) from alert_records").rows())
          .containsExactly(List.of((long) FLOWS / ALERT_EVERY, (long) FLOWS / ALERT_EVERY));
      assertThat(q.sql("select count(*) from flow_hops").rows())
          .containsExactly(List.of(FLOWS * 6L));
    }
  }

  private Process startChild(String bootstrap, int n) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                WriterProcess.class.getName(),
                store.toString(),
                bootstrap,
                "300",
                "0.2")
            .redirectError(logs.resolve("writer-" + n + ".err").toFile())
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertThat(line)
        .as("child writer start (stderr: %s)", logs.resolve("writer-" + n + ".err"))
        .isEqualTo("started");
    return p;
  }

  /** Flow records in transactions (read_committed), an alert every {@value #ALERT_EVERY}. */
  private static void produce(EmbeddedKafka k, Topics topics, AtomicInteger produced) {
    Map<String, Object> cfg = new java.util.HashMap<>(k.clientConfig());
    cfg.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "store-crash-it");
    AvroSerde<io.hoptrace.schema.FlowRecord> flows = AvroSerde.flowRecord();
    AvroSerde<io.hoptrace.schema.Alert> alerts = AvroSerde.alert();
    try (KafkaProducer<String, byte[]> p =
        new KafkaProducer<>(cfg, new StringSerializer(), new ByteArraySerializer())) {
      p.initTransactions();
      for (int i = 0; i < FLOWS; ) {
        p.beginTransaction();
        for (int j = 0; j < PER_TRANSACTION; j++, i++) {
          String id = "c" + i;
          long first = T0 + i * SECOND / 10;
          p.send(
              new ProducerRecord<>(
                  topics.flows(),
                  id,
                  flows.encode(Records.flow(id, "10.244.0.2", "10.244.1.2", first, "OK"))));
          if (i % ALERT_EVERY == 0) {
            p.send(
                new ProducerRecord<>(
                    topics.alerts(),
                    "a" + i,
                    alerts.encode(Records.oneWay("a" + i, id, first, AlertStatus.FIRING))));
          }
        }
        p.commitTransaction();
        produced.set(i);
        Thread.sleep(250); // about 30 s of traffic: the kills land while it flows
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
