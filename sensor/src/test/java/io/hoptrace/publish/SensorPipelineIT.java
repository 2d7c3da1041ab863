package io.hoptrace.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.capture.CaptureFileReader;
import io.hoptrace.capture.HopContext;
import io.hoptrace.decode.DecodeStatus;
import io.hoptrace.decode.DecoderConfig;
import io.hoptrace.embedded.EmbeddedKafka;
import io.hoptrace.metrics.SensorMetrics;
import io.hoptrace.schema.AvroSerde;
import io.hoptrace.schema.EncapType;
import io.hoptrace.schema.InterfaceRole;
import io.hoptrace.schema.PacketSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

class SensorPipelineIT {

  /** tcpdump's test capture (BSD licence; see decode/captures/README.md): ICMP inside VXLAN. */
  private static final String CAPTURE = "/decode/captures/tcpdump/vxlan_port_8472.pcap";

  @Test
  void aReplayedCapturePublishesOneKeyedSummaryPerPacket() throws Exception {
    URL resource = SensorPipelineIT.class.getResource(CAPTURE);
    assertThat(resource).as("test capture %s on the class path", CAPTURE).isNotNull();
    HopContext hop = new HopContext("node-a", null, "ens33", InterfaceRole.UPLINK);
    SensorMetrics metrics = new SensorMetrics(new SimpleMeterRegistry());
    long packets;
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      PublisherConfig config = PublisherConfig.forBootstrap(kafka.bootstrapServers());
      try (SummaryPublisher publisher = new SummaryPublisher(config, metrics);
          CaptureFileReader reader = CaptureFileReader.open(Path.of(resource.toURI()), hop)) {
        packets = new SensorPipeline(config(), publisher, metrics).replay(reader);
        assertThat(publisher.sent()).isEqualTo(packets);
        assertThat(publisher.failed()).isZero();
      }

      List<ConsumerRecord<String, PacketSummary>> records =
          consume(kafka, config.topics().packets(), (int) packets);

      assertThat(packets).isPositive();
      assertThat(records).hasSize((int) packets);
      assertThat(records)
          .allSatisfy(
              r -> {
                PacketSummary s = r.value();
                assertThat(r.key()).isEqualTo(s.getFlowKey()).isNotNull();
                assertThat(s.getNode()).isEqualTo("node-a");
                assertThat(s.getRole()).isEqualTo(InterfaceRole.UPLINK);
                assertThat(s.getEncap()).isNotEmpty();
                assertThat(s.getEncap().get(0).getType()).isEqualTo(EncapType.VXLAN);
                assertThat(s.getEncap().get(0).getOuterDport()).isEqualTo(8472);
              });
    }
    assertThat(metrics.capturedCount()).isEqualTo(packets);
    assertThat(metrics.decodedCount()).isEqualTo(packets);
    assertThat(metrics.sentCount()).isEqualTo(packets);
    assertThat(
            Arrays.stream(DecodeStatus.values())
                .mapToLong(s -> metrics.decodeStatusCount(s.name()))
                .sum())
        .isEqualTo(packets);
  }

  private static DecoderConfig config() {
    return DecoderConfig.defaults();
  }

  private static List<ConsumerRecord<String, PacketSummary>> consume(
      EmbeddedKafka kafka, String topic, int expected) {
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "pipeline-it");
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, PacketSummary>> out = new ArrayList<>();
    try (KafkaConsumer<String, PacketSummary> consumer =
        new KafkaConsumer<>(
            config, new StringDeserializer(), AvroSerde.packetSummary().deserializer())) {
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
