package io.hoptrace.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.metrics.SensorMetrics;
import io.hoptrace.schema.AvroSerde;
import io.hoptrace.schema.FlowHopCounters;
import io.hoptrace.schema.PacketsRecordSerde;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class SummaryPublisherTest {

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final SensorMetrics metrics = new SensorMetrics(new SimpleMeterRegistry());

  @Test
  void acknowledgedSummariesAreCountedAndKeyedByFlow() {
    MockProducer<String, byte[]> producer = producer(true);
    try (SummaryPublisher publisher = publisher(producer, Map.of())) {
      publisher.publish(Summaries.flowKey(1), Summaries.tcp("node-a", 1, 1));
      publisher.publish(Summaries.tcp("node-a", 2, 1));

      assertThat(publisher.sent()).isEqualTo(2);
      assertThat(metrics.sentCount()).isEqualTo(2.0);
      assertThat(producer.history())
          .extracting(r -> r.topic() + " " + r.key())
          .containsExactly(
              "hoptrace.packets " + Summaries.flowKey(1),
              "hoptrace.packets " + Summaries.flowKey(2));
      assertThat(AvroSerde.packetSummary().decode(producer.history().get(0).value()))
          .isEqualTo(Summaries.tcp("node-a", 1, 1));
    }
  }

  @Test
  void countersGoToThePacketsTopicUnderTheirKeyCountedByKind() {
    MockProducer<String, byte[]> producer = producer(true);
    try (SummaryPublisher publisher = publisher(producer, Map.of())) {
      FlowHopCounters c =
          FlowHopCounters.newBuilder()
              .setNode("node-a")
              .setIface("eth0")
              .setReason(1)
              .setIpVersion(4)
              .setSrc("10.0.0.1")
              .setDst("10.0.0.2")
              .setProto(6)
              .setFlowKey(Summaries.flowKey(1))
              .setFirstTsNanos(1)
              .setLastTsNanos(2)
              .setPackets(5)
              .setBytes(500)
              .build();
      publisher.publish(Summaries.flowKey(1), Summaries.tcp("node-a", 1, 1));
      publisher.publishCounters("route-key", c);

      assertThat(publisher.sent()).isEqualTo(2);
      assertThat(publisher.countersSent()).isEqualTo(1);
      assertThat(metrics.sentCount()).isEqualTo(2.0);
      assertThat(metrics.sentCount("summary")).isEqualTo(1.0);
      assertThat(metrics.sentCount("counters")).isEqualTo(1.0);
      assertThat(producer.history().get(1).topic()).isEqualTo("hoptrace.packets");
      assertThat(producer.history().get(1).key()).isEqualTo("route-key");
      assertThat(PacketsRecordSerde.get().decode(null, producer.history().get(1).value()))
          .isEqualTo(c);
    }
  }

  @Test
  void brokerErrorsAreCountedAsFailedNotThrown() {
    MockProducer<String, byte[]> producer = producer(false);
    try (SummaryPublisher publisher = publisher(producer, Map.of())) {
      publisher.publish(Summaries.flowKey(1), Summaries.tcp("node-a", 1, 1));
      publisher.publish(Summaries.flowKey(1), Summaries.tcp("node-a", 1, 2));
      producer.errorNext(new NotLeaderOrFollowerException("leader moved"));
      producer.completeNext();

      assertThat(publisher.failed()).isEqualTo(1);
      assertThat(publisher.sent()).isEqualTo(1);
      assertThat(metrics.sendFailedCount()).isEqualTo(1.0);
    }
  }

  @Test
  void afterASendTimesOutSummariesAreDroppedAtOnceUntilTheBackoffEnds() {
    MockProducer<String, byte[]> producer = producer(true);
    try (SummaryPublisher publisher =
        publisher(producer, Map.of(PublisherConfig.OUTAGE_BACKOFF_MS, "1000"))) {
      producer.sendException = new TimeoutException("Topic not present in metadata after 1000 ms");
      publisher.publish(Summaries.flowKey(1), Summaries.tcp("node-a", 1, 1));
      producer.sendException = null;
      int sendsBefore = producer.history().size();

      nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(500));
      publisher.publish(Summaries.flowKey(1), Summaries.tcp("node-a", 1, 2));
      publisher.publish(Summaries.flowKey(1), Summaries.tcp("node-a", 1, 3));
      int sendsDuringBackoff = producer.history().size() - sendsBefore;
      nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(600));
      publisher.publish(Summaries.flowKey(1), Summaries.tcp("node-a", 1, 4));

      assertThat(sendsDuringBackoff).isZero();
      assertThat(publisher.failed()).isEqualTo(3);
      assertThat(publisher.sent()).isEqualTo(1);
    }
  }

  @Test
  void aSendFailingThroughItsCallbackAfterBlockingAlsoStartsTheBackoff() {
    // KafkaProducer reports a metadata/buffer timeout through the callback and a failed future
    BlockingThenFailingProducer producer = new BlockingThenFailingProducer();
    try (SummaryPublisher publisher =
        publisher(producer, Map.of(PublisherConfig.OUTAGE_BACKOFF_MS, "1000"))) {
      producer.failNext = true;
      publisher.publish(Summaries.flowKey(1), Summaries.tcp("node-a", 1, 1));
      producer.failNext = false;
      publisher.publish(Summaries.flowKey(1), Summaries.tcp("node-a", 1, 2));
      int sendsDuringBackoff = producer.history().size();
      nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(1001));
      publisher.publish(Summaries.flowKey(1), Summaries.tcp("node-a", 1, 3));

      assertThat(sendsDuringBackoff).isZero();
      assertThat(producer.history()).hasSize(1);
      assertThat(publisher.failed()).isEqualTo(2);
      assertThat(publisher.sent()).isEqualTo(1);
    }
  }

  @Test
  void publishingAfterCloseCountsAFailureInsteadOfThrowing() {
    MockProducer<String, byte[]> producer = producer(true);
    SummaryPublisher publisher = publisher(producer, Map.of());
    publisher.close();

    publisher.publish(Summaries.flowKey(1), Summaries.tcp("node-a", 1, 1));
    publisher.flush();

    assertThat(publisher.failed()).isEqualTo(1);
  }

  @Test
  void inventoriesGoToTheNodesTopicKeyedByNodeName() {
    MockProducer<String, byte[]> producer = producer(true);
    try (SummaryPublisher publisher =
        publisher(producer, Map.of(PublisherConfig.TOPIC_PREFIX, "lab."))) {
      publisher.publishInventory(Summaries.inventory("node-b", 1450));

      assertThat(producer.history()).hasSize(1);
      assertThat(producer.history().get(0).topic()).isEqualTo("lab.nodes");
      assertThat(producer.history().get(0).key()).isEqualTo("node-b");
      assertThat(publisher.inventoriesSent()).isEqualTo(1);
      assertThat(publisher.sent()).as("inventories are not packets").isZero();
    }
  }

  private static MockProducer<String, byte[]> producer(boolean autoComplete) {
    return new MockProducer<>(
        autoComplete, null, new StringSerializer(), new ByteArraySerializer());
  }

  private SummaryPublisher publisher(MockProducer<String, byte[]> producer, Map<String, String> s) {
    Map<String, Object> settings = new java.util.HashMap<>(s);
    settings.put(PublisherConfig.BOOTSTRAP_SERVERS, "localhost:9");
    return new SummaryPublisher(new PublisherConfig(settings), metrics, producer, nanos::get);
  }

  /** Fails a send the way KafkaProducer does after max.block.ms: callback + failed future. */
  private static final class BlockingThenFailingProducer extends MockProducer<String, byte[]> {
    boolean failNext;

    BlockingThenFailingProducer() {
      super(true, null, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public synchronized Future<RecordMetadata> send(
        ProducerRecord<String, byte[]> record, Callback callback) {
      if (!failNext) {
        return super.send(record, callback);
      }
      TimeoutException timeout = new TimeoutException("Topic not present after 1000 ms");
      callback.onCompletion(null, timeout);
      return CompletableFuture.failedFuture(timeout);
    }
  }
}
