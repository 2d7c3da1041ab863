package io.hoptrace.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.embedded.EmbeddedKafka;
import io.hoptrace.replay.Analysis;
import io.hoptrace.replay.Manifest;
import io.hoptrace.replay.ManifestReader;
import io.hoptrace.replay.Recordings;
import io.hoptrace.schema.NodeInventory;
import io.hoptrace.schema.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 17 through the real job (MiniCluster, embedded broker): records that cannot be decoded —
 * bytes of no record, and records of a schema fingerprint no store knows — on the packets, drops
 * and nodes topics, before and after the good records of a recording. The job goes on (it drains
 * past every bad record to the end-of-input markers and is still running), gives the alerts, flows
 * and incidents of the same recording without them, and counts the bad records per input and reason
 * in its Flink metrics ({@link SkippedRecords}). Kafka Streams' equivalent: {@code
 * TopologyOutputTest}.
 */
class BadRecordsIT {
  private static final Path RECORDINGS = Path.of("..", Recordings.RECORDINGS);
  private static final AtomicInteger RUN = new AtomicInteger();

  /** Not a single-object encoded record. */
  private static final byte[] UNDECODABLE = {1, 2, 3};

  /** A single-object encoded record of a schema fingerprint (0) that no store knows. */
  private static final byte[] UNKNOWN_SCHEMA = {(byte) 0xC3, 1, 0, 0, 0, 0, 0, 0, 0, 0, 42};

  private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();
  private static EmbeddedKafka kafka;

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setConfiguration(METRICS.addToConfiguration(new Configuration()))
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  @BeforeAll
  static void broker() {
    kafka = FlinkHost.startBroker();
  }

  @AfterAll
  static void stopBroker() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void badRecordsOnEveryInputAreCountedAndSkippedAndTheJobGoesOn() throws Exception {
    Manifest m = ManifestReader.read(RECORDINGS.resolve("vxlan-blocked").resolve("manifest.json"));
    Analysis.Result clean = EngineParityIT.run(() -> new AroundFlinkHost(host("clean")), m);
    WithBadRecords bad = new WithBadRecords(host("bad"));
    Analysis.Result withBad = EngineParityIT.run(() -> bad, m);

    assertThat(withBad.alerts()).isNotEmpty();
    EngineParityIT.assertSameOutputs("with bad records", withBad, clean);

    assertThat(bad.sent).containsOnlyKeys("packets", "drops", "nodes");
    Map<String, Long> expected = new TreeMap<>();
    bad.sent.forEach(
        (input, n) -> {
          expected.put(input + " " + SkippedRecords.UNDECODABLE, n);
          expected.put(input + " " + SkippedRecords.UNKNOWN_SCHEMA, n);
        });
    assertThat(skipped("bad")).isEqualTo(expected);
    assertThat(skipped("clean")).allSatisfy((k, v) -> assertThat(v).as(k).isZero());
  }

  private static FlinkHost host(String name) {
    int n = RUN.incrementAndGet();
    return FlinkHost.builder()
        .bootstrapServers(kafka.bootstrapServers())
        .environment(StreamExecutionEnvironment::getExecutionEnvironment)
        .topics(Topics.withPrefix("bad-records" + n + "."))
        .jobId("bad-records-" + name)
        .parallelism(2)
        .packetsPartitions(2)
        .start();
  }

  /**
   * The job's {@link SkippedRecords} counters, summed over its subtasks, by {@code "<input>
   * <reason>"}.
   */
  private static Map<String, Long> skipped(String job) {
    Map<String, Long> sum = new TreeMap<>();
    for (Map.Entry<MetricGroup, Map<String, Metric>> g : METRICS.getMetricsByGroup().entrySet()) {
      Map<String, String> vars = g.getKey().getAllVariables();
      if (!String.valueOf(vars.get("<job_name>")).contains("(bad-records-" + job + ")")) {
        continue;
      }
      for (Map.Entry<String, Metric> e : g.getValue().entrySet()) {
        if (e.getKey().endsWith(SkippedRecords.METRIC) && e.getValue() instanceof Counter c) {
          sum.merge(vars.get("<input>") + " " + vars.get("<reason>"), c.getCount(), Long::sum);
        }
      }
    }
    assertThat(sum).as("%s: counters of every input and reason", job).hasSize(6);
    return sum;
  }

  /** The host with bad records published before and after the good ones of every input. */
  private static final class WithBadRecords extends AroundFlinkHost {
    /** Bad records sent of each kind, by input. */
    final Map<String, Long> sent = new TreeMap<>();

    WithBadRecords(FlinkHost host) {
      super(host);
    }

    @Override
    public void start() {
      host.start();
      sendBad(host.topics().packets(), host.topics().drops());
    }

    @Override
    public void publishInventory(List<NodeInventory> inventories, Duration timeout) {
      sendBad(host.topics().nodes());
      host.publishInventory(inventories, timeout);
      sendBad(host.topics().nodes());
    }

    @Override
    public void endOfInput(Duration timeout) {
      sendBad(host.topics().packets(), host.topics().drops());
      host.endOfInput(timeout);
      host.checkHealthy();
    }

    /** One record of each kind to every partition of {@code topics}. */
    private void sendBad(String... topics) {
      try (KafkaProducer<byte[], byte[]> p =
          new KafkaProducer<>(
              Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
              new ByteArraySerializer(),
              new ByteArraySerializer())) {
        for (String topic : topics) {
          int partitions = p.partitionsFor(topic).size();
          for (int i = 0; i < partitions; i++) {
            byte[] key = ("bad-" + i).getBytes(StandardCharsets.UTF_8);
            p.send(new ProducerRecord<>(topic, i, key, UNDECODABLE));
            p.send(new ProducerRecord<>(topic, i, key, UNKNOWN_SCHEMA));
          }
          sent.merge(input(topic), (long) partitions, Long::sum);
        }
        p.flush();
      }
    }

    private String input(String topic) {
      Topics t = host.topics();
      return topic.equals(t.packets()) ? "packets" : topic.equals(t.drops()) ? "drops" : "nodes";
    }
  }
}
