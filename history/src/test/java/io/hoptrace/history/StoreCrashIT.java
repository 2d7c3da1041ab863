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
import java.util.concurrent.CountDownLatch;
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
 * mid-run, each after it published a batch (small batches, so most kills land in or near a flush),
 * then a writer restarts on the same store and drains the topics. Every flow, alert and incident
 * record is in the store exactly once (an incident's versions spread over several transactions and
 * batches), and no temporary file or commit record is left.
 */
class StoreCrashIT {
  private static final int FLOWS = 24_000;
  private static final int PER_TRANSACTION = 200;
  private static final int ALERT_EVERY = 100;

  /** Flows produced only once the writers have been killed. */
  private static final int HELD_BACK = 10 * PER_TRANSACTION;

  /** Alerts per incident: each alert adds a version of its incident. */
  private static final int ALERTS_PER_INCIDENT = 10;

  @TempDir Path store;
  @TempDir Path logs;

  @Test
  void killedWriterRestartsWithEveryRecordExactlyOnce() throws Exception {
    Topics topics = Topics.defaults();
    try (EmbeddedKafka k = EmbeddedKafka.start()) {
      k.createTopics(DetectionTopics.newTopics(topics, 1, Optional.of((short) 1)));
      AtomicInteger produced = new AtomicInteger();
      CountDownLatch killsDone = new CountDownLatch(1);
      Thread producer = new Thread(() -> produce(k, topics, produced, killsDone), "test-producer");
      producer.setDaemon(true);
      producer.start();
      List<Integer> killedAt = new ArrayList<>();
      for (int kill = 0; kill < 3; kill++) {
        long before = parquetFiles();
        Process child = startChild(k.bootstrapServers(), kill);
        // let it publish a batch (however loaded the machine), then kill it a little later each
        // time, so that the kills land at different points of a flush
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (parquetFiles() == before && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        Thread.sleep(200L * kill);
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        killedAt.add(produced.get());
      }
      killsDone.countDown();
      producer.join(120_000);
      assertThat(killedAt)
          .as("records were still flowing when the writers were killed")
          .allMatch(n -> n > 0 && n < FLOWS);
      assertThat(produced.get()).isEqualTo(FLOWS);
      assertThat(parquetFiles()).as("the killed writers published batches").isPositive();
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
      long incidents = FLOWS / ALERT_EVERY / ALERTS_PER_INCIDENT;
      assertThat(q.sql("select count(*), count(distinct id) from incident_records").rows())
          .containsExactly(List.of((long) FLOWS / ALERT_EVERY, incidents));
      assertThat(
              q.sql(
                      "select count(*), min(len(alert_ids)), max(len(alert_ids)),"
                          + " count(*) filter (where status = 'RESOLVED') from incidents")
                  .rows())
          .as("each incident as it last stood: all its alerts, resolved")
          .containsExactly(
              List.of(
                  incidents, (long) ALERTS_PER_INCIDENT, (long) ALERTS_PER_INCIDENT, incidents));
    }
  }

  private long parquetFiles() throws java.io.IOException {
    try (Stream<Path> s = Files.walk(store)) {
      return s.filter(p -> p.toString().endsWith(".parquet")).count();
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

  /**
   * Flow records in transactions (read_committed), an alert every {@value #ALERT_EVERY} and with it
   * a new version of its incident (RESOLVED with its {@value #ALERTS_PER_INCIDENT}th alert).
   */
  private static void produce(
      EmbeddedKafka k, Topics topics, AtomicInteger produced, CountDownLatch killsDone) {
    Map<String, Object> cfg = new java.util.HashMap<>(k.clientConfig());
    cfg.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "store-crash-it");
    AvroSerde<io.hoptrace.schema.FlowRecord> flows = AvroSerde.flowRecord();
    AvroSerde<io.hoptrace.schema.Alert> alerts = AvroSerde.alert();
    AvroSerde<io.hoptrace.schema.Incident> incidents = AvroSerde.incident();
    List<String> incidentAlerts = new ArrayList<>();
    long incidentFirst = 0;
    try (KafkaProducer<String, byte[]> p =
        new KafkaProducer<>(cfg, new StringSerializer(), new ByteArraySerializer())) {
      p.initTransactions();
      for (int i = 0; i < FLOWS; ) {
        if (i == FLOWS - HELD_BACK) { // records still to come whatever the machine's load
          killsDone.await();
        }
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
            if (incidentAlerts.size() == ALERTS_PER_INCIDENT) {
              incidentAlerts.clear();
            }
            if (incidentAlerts.isEmpty()) {
              incidentFirst = first;
            }
            incidentAlerts.add("a" + i);
            boolean last = incidentAlerts.size() == ALERTS_PER_INCIDENT;
            String incident = "i" + (i / (ALERT_EVERY * ALERTS_PER_INCIDENT));
            p.send(
                new ProducerRecord<>(
                    topics.incidents(),
                    incident,
                    incidents.encode(
                        Records.incident(
                            incident,
                            incidentFirst,
                            first + SECOND,
                            last ? AlertStatus.RESOLVED : AlertStatus.FIRING,
                            List.copyOf(incidentAlerts),
                            last ? 0 : 1))));
          }
        }
        p.commitTransaction();
        produced.set(i);
        Thread.sleep(250); // paced, and the last transactions wait for the kills
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
