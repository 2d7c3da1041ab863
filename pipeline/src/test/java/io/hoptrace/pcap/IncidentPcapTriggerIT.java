package io.hoptrace.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.capture.CaptureFileReader;
import io.hoptrace.capture.HopContext;
import io.hoptrace.decode.DecoderConfig;
import io.hoptrace.evidence.HopRings;
import io.hoptrace.evidence.PcapExchange;
import io.hoptrace.evidence.RingResponder;
import io.hoptrace.pipeline.EmbeddedPipeline;
import io.hoptrace.pipeline.TopicTail;
import io.hoptrace.publish.PublisherConfig;
import io.hoptrace.replay.Analysis;
import io.hoptrace.replay.Manifest;
import io.hoptrace.replay.ManifestReader;
import io.hoptrace.replay.Recordings;
import io.hoptrace.schema.PcapRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: the detection asks the sensors for an incident's packets when it opens. Two sensors'
 * rings (in process: {@link HopRings} holding each node's captures of the vxlan-blocked recording,
 * answering on pcap.requests through {@link RingResponder}) and the trigger follow a Kafka Streams
 * job replaying that recording; the incident opens, the trigger asks once under {@link
 * IncidentPcapTrigger#requestId}, both sensors answer. Then the sensors are gone: {@code hoptrace
 * pcap --incident ID} ({@link PcapRequester}) still writes the incident's packets from the answers
 * given when it opened — every packet the rings held of its conversations, once.
 */
class IncidentPcapTriggerIT {
  private static final Path RECORDINGS = Path.of("..", Recordings.RECORDINGS);

  @TempDir Path tmp;

  @Test
  void theIncidentsPacketsAreAskedForWhenItOpensAndOutliveTheSensors() throws Exception {
    Manifest m = ManifestReader.read(RECORDINGS.resolve("vxlan-blocked/manifest.json"));
    Map<String, HopRings> rings = new LinkedHashMap<>();
    for (Manifest.Hop h : m.hops()) {
      HopRings r =
          rings.computeIfAbsent(h.node(), n -> new HopRings(16L << 20, 3_600_000_000_000L));
      try (CaptureFileReader reader =
          CaptureFileReader.open(
              h.file(), new HopContext(h.node(), h.pod(), h.iface(), h.role()))) {
        reader.read(r.keeper());
      }
    }
    try (EmbeddedPipeline pipeline = EmbeddedPipeline.builder().start()) {
      PublisherConfig sensors =
          new PublisherConfig(
              Map.of(PublisherConfig.BOOTSTRAP_SERVERS, pipeline.bootstrapServers()));
      List<String> log = new ArrayList<>();
      List<RingResponder> responders = new ArrayList<>();
      Analysis.Result analysis;
      IncidentPcapTrigger trigger =
          IncidentPcapTrigger.start(
              pipeline.kafkaClients(),
              pipeline.topics(),
              pipeline.detectionConfig(),
              // a replay's conversations shorter than flow.update.interval.ms have their only flow
              // record at the end of input (in a live run event time passes and the interim record
              // comes within the default settle time): 3 attempts 10 s apart cover the replay's
              // drain on a loaded machine (1 s apart gave up once, the incident opening early)
              Duration.ofSeconds(10),
              line -> {
                synchronized (log) {
                  log.add(line);
                }
              });
      try {
        rings.forEach(
            (node, r) ->
                responders.add(
                    RingResponder.start(sensors, r, DecoderConfig.defaults(), node, line -> {})));
        analysis =
            new Analysis(
                    pipeline,
                    DecoderConfig.defaults(),
                    InstantSource.system(),
                    Duration.ofMinutes(2))
                .run(m, msg -> {});
        assertThat(analysis.incidents()).extracting(i -> i.getId()).hasSize(1);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (responders.stream().anyMatch(r -> r.answered() < 1)
            && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
      } finally {
        trigger.close();
        responders.forEach(RingResponder::close);
      }
      String incident = analysis.incidents().get(0).getId();
      assertThat(trigger.requested()).as(String.join("\n", log)).isEqualTo(1);
      assertThat(trigger.givenUp()).isZero();
      assertThat(responders).allSatisfy(r -> assertThat(r.answered()).isEqualTo(1));
      assertThat(log).anyMatch(l -> l.contains("incident " + incident + ": asked the sensors"));

      // the sensors are gone; the answers they gave when the incident opened remain
      PcapSubject subject =
          PcapSubject.incident(
              pipeline.kafkaClients(),
              pipeline.topics(),
              incident,
              pipeline.detectionConfig(),
              Duration.ofSeconds(30));
      assertThat(subject.earlierRequestId()).isEqualTo(IncidentPcapTrigger.requestId(incident));
      Path out = tmp.resolve("incident.pcapng");
      PcapRequester.Result r =
          PcapRequester.run(
              pipeline.kafkaClients(), pipeline.topics(), subject, out, Duration.ofSeconds(3));

      // what the trigger asked for: the incident's conversations as their flow records stood then
      PcapRequest asked;
      try (TopicTail<PcapRequest> requests =
          new TopicTail<>(
              pipeline.kafkaClients(),
              pipeline.topics().pcapRequests(),
              PcapExchange::decodeRequest)) {
        asked =
            requests.readToEnd(Duration.ofSeconds(30)).stream()
                .filter(i -> i.key().equals(IncidentPcapTrigger.requestId(incident)))
                .map(TopicTail.Item::value)
                .reduce((a, b) -> b)
                .orElseThrow();
      }
      long expected = 0;
      long whole = 0;
      for (HopRings ring : rings.values()) {
        expected += ring.select(PcapExchange.selection(asked), DecoderConfig.defaults()).size();
        whole += ring.select(subject.selection(), DecoderConfig.defaults()).size();
      }
      assertThat(expected).isGreaterThan(10).isLessThanOrEqualTo(whole);
      assertThat(r.packets()).isEqualTo(expected);
      assertThat(r.packetsPerNode().keySet()).containsExactlyInAnyOrder("node-a", "node-b");
      assertThat(r.silentNodes()).isEmpty();
      assertThat(r.packetsPerHop()).containsKeys("node-a/ens33", "node-b/ens33");
    }
  }
}
