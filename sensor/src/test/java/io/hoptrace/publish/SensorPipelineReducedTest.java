package io.hoptrace.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.capture.CaptureFileReader;
import io.hoptrace.capture.HopContext;
import io.hoptrace.decode.DecoderConfig;
import io.hoptrace.metrics.SensorMetrics;
import io.hoptrace.reduce.Reducer;
import io.hoptrace.reduce.ReducerConfig;
import io.hoptrace.schema.FlowHopCounters;
import io.hoptrace.schema.InterfaceRole;
import io.hoptrace.schema.PacketsRecordSerde;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The sensor's reduced mode: a reducer per handler in front of the publisher, counted. */
class SensorPipelineReducedTest {
  /** The healthy lab recording's client-pod hop: TCP conversations to be folded. */
  private static final Path CAPTURE =
      Path.of("..", "deploy", "lab", "recordings", "healthy", "node-a.pod-a1.eth0.pcap");

  @Test
  void aReducedReplaySendsFewerRecordsCountersUnderTheirFlowKeyAndCountsThem() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    SensorMetrics metrics = new SensorMetrics(registry);
    MockProducer<String, byte[]> producer =
        new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    PublisherConfig config = PublisherConfig.forBootstrap("localhost:9");
    HopContext hop = new HopContext("node-a", "pod-a1", "eth0", InterfaceRole.POD);
    long packets;
    try (SummaryPublisher publisher =
            new SummaryPublisher(config, metrics, producer, new AtomicLong()::get);
        CaptureFileReader reader = CaptureFileReader.open(CAPTURE, hop)) {
      SensorPipeline pipeline =
          new SensorPipeline(DecoderConfig.defaults(), publisher, metrics)
              .reduced(ReducerConfig.defaults().withFirstPackets(0), Reducer.MtuLookup.UNKNOWN);
      packets = pipeline.replay(reader);
      assertThat(publisher.countersSent()).isPositive();
      assertThat(publisher.sent()).isLessThan(packets);
      assertThat(pipeline.reducerTotals().get("folded")).isPositive();
      assertThat(
              pipeline.reducerTotals().get("summaries") + pipeline.reducerTotals().get("counters"))
          .isEqualTo(publisher.sent());
    }
    for (ProducerRecord<String, byte[]> r : producer.history()) {
      SpecificRecord v = PacketsRecordSerde.get().decode(r.topic(), r.value());
      if (v instanceof FlowHopCounters c) {
        assertThat(r.key()).isEqualTo(c.getFlowKey());
      }
    }
    assertThat(metrics.sentCount("counters") + metrics.sentCount("summary"))
        .isEqualTo(producer.history().size());
    assertThat(registry.get(SensorMetrics.PACKETS_FOLDED).functionCounter().count()).isPositive();
    assertThat(registry.get(SensorMetrics.FLOW_TABLE_EVICTIONS).functionCounter().count()).isZero();
    assertThat(registry.get(SensorMetrics.FLOW_TABLE_FLOWS).gauge().value()).isPositive();
  }
}
