package io.hoptrace.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.decode.DecoderConfig;
import io.hoptrace.embedded.EmbeddedKafka;
import io.hoptrace.pipeline.DetectionHost;
import io.hoptrace.replay.Analysis;
import io.hoptrace.replay.Manifest;
import io.hoptrace.replay.ManifestReader;
import io.hoptrace.replay.Recordings;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertType;
import io.hoptrace.schema.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 12 against a real broker: the job starts when the nodes and packets topics are already full
 * (as {@code hoptrace flink} on a live Kafka, or a restart), the nodes topic led by {@value
 * #FILLER} records that update nothing, so its broadcast source reaches the inventories well after
 * the packets source has sent the whole recording on. The alerts, flows and incidents are those of
 * a job that was running before anything was published (no VTEP_MISMATCH from an empty inventory).
 */
class InventoryFirstIT {
  private static final Path RECORDINGS = Path.of("..", Recordings.RECORDINGS);
  private static final int FILLER = 50_000;
  private static final AtomicInteger RUN = new AtomicInteger();
  private static EmbeddedKafka kafka;

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
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

  /** Where the job keeps its state (the packets waiting for the inventory among it). */
  StateBackendKind backend() {
    return StateBackendKind.heap;
  }

  private FlinkHost host(boolean startJob) {
    int n = RUN.incrementAndGet();
    return FlinkHost.builder()
        .stateBackend(backend())
        .bootstrapServers(kafka.bootstrapServers())
        .environment(StreamExecutionEnvironment::getExecutionEnvironment)
        .topics(Topics.withPrefix("inventory-first" + n + "."))
        .jobId("inventory-first-" + n)
        .parallelism(2)
        .packetsPartitions(4)
        .startJob(startJob)
        .start();
  }

  private static Analysis.Result run(DetectionHost h, Manifest m) throws Exception {
    try (h) {
      return new Analysis(
              h, DecoderConfig.defaults(), InstantSource.system(), Duration.ofMinutes(2))
          .run(m, msg -> {});
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"healthy", "vxlan-blocked"})
  void aJobStartedOnFullTopicsJudgesNoPacketBeforeTheWholeInventory(String scenario)
      throws Exception {
    Manifest m = ManifestReader.read(RECORDINGS.resolve(scenario).resolve("manifest.json"));
    Analysis.Result running = run(host(true), m);
    FlinkHost late = host(false);
    fill(late.topics().nodes());
    Analysis.Result started = run(new StartedAtEndOfInput(late), m);

    assertThat(started.alerts()).extracting(Alert::getType).doesNotContain(AlertType.VTEP_MISMATCH);
    EngineParityIT.assertSameOutputs(scenario, started, running);
  }

  /** Records of nodes that are not there (tombstones): read, applied, changing nothing. */
  private static void fill(String topic) {
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG,
                20),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (int i = 0; i < FILLER; i++) {
        p.send(new ProducerRecord<>(topic, ("filler-" + i).getBytes(StandardCharsets.UTF_8), null));
      }
      p.flush();
    }
  }

  /** The Flink host whose job starts once everything but the end-of-input marker is published. */
  private static final class StartedAtEndOfInput extends AroundFlinkHost {
    StartedAtEndOfInput(FlinkHost host) {
      super(host);
    }

    @Override
    public void start() {}

    @Override
    public void endOfInput(Duration timeout) {
      host.start();
      host.endOfInput(timeout);
    }
  }
}
