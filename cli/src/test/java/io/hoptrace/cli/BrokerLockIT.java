package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real brokers, each {@code hoptrace broker} in its own JVM, on one data directory: the second
 * says the directory is in use, by whom, and exits 2 without touching it; the first keeps serving
 * (issue 17, finding 1: before the lock, the second read and truncated the first's metadata log,
 * and sometimes killed it).
 */
class BrokerLockIT {

  @TempDir Path tmp;

  @Test
  void aSecondBrokerOnADataDirectoryInUseExitsTwoAndTheFirstKeepsServing() throws Exception {
    Path data = tmp.resolve("data");
    try (ChildHoptrace first =
        ChildHoptrace.start(
            tmp.resolve("first.log"),
            Map.of(),
            "broker",
            "--port",
            "0",
            "--data-dir",
            data.toString())) {
      first.awaitOutput("bootstrap: ", Duration.ofSeconds(90));
      String bootstrap =
          first
              .output()
              .lines()
              .filter(l -> l.startsWith("bootstrap: "))
              .findFirst()
              .orElseThrow()
              .split(" ")[1];
      produce(bootstrap, "before");
      Path metadataLog = data.resolve("kafka-logs/__cluster_metadata-0");
      long metadataBefore = size(metadataLog);

      long t0 = System.nanoTime();
      try (ChildHoptrace second =
          ChildHoptrace.start(
              tmp.resolve("second.log"),
              Map.of(),
              "broker",
              "--port",
              "0",
              "--data-dir",
              data.toString())) {
        assertThat(second.exitCode(Duration.ofSeconds(60))).isEqualTo(2);
        assertThat(second.output().strip())
            .isEqualTo(
                "hoptrace broker: error: data directory "
                    + data
                    + " is in use by another broker (pid "
                    + first.pid()
                    + ")");
      }
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));

      // the first is untouched: still alive, still serving, its metadata log not truncated
      assertThat(first.isAlive()).isTrue();
      produce(bootstrap, "after");
      assertThat(size(metadataLog)).isGreaterThanOrEqualTo(metadataBefore);
      assertThat(first.output()).doesNotContain("Corruption", "ProcessTerminatingFaultHandler");
    }
  }

  private static long size(Path dir) throws Exception {
    try (var files = Files.list(dir)) {
      long total = 0;
      for (Path p : files.toList()) {
        total += Files.size(p);
      }
      return total;
    }
  }

  private static void produce(String bootstrap, String value) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      try {
        admin
            .createTopics(List.of(new NewTopic("lock-it", Optional.of(1), Optional.empty())))
            .all()
            .get(30, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        assertThat(e.getCause())
            .isInstanceOf(org.apache.kafka.common.errors.TopicExistsException.class);
      }
    }
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 20_000);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>("lock-it", value)).get(40, TimeUnit.SECONDS);
    }
  }
}
