package io.hoptrace.pcap;

import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.evidence.IncidentFlows;
import io.hoptrace.evidence.PacketSelection;
import io.hoptrace.pipeline.TopicTail;
import io.hoptrace.replay.IncidentPcaps;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AvroSerde;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.Incident;
import io.hoptrace.schema.KafkaClientSettings;
import io.hoptrace.schema.Topics;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * What {@code hoptrace pcap} asks the sensors for, read from the detection's topics: a
 * conversation's flow keys within its span (the flows topic), or the conversations an incident
 * concerns ({@link IncidentFlows}, from the incidents, alerts and flows topics) — the same
 * selection {@code analyze --incident-pcaps} makes from a replay.
 *
 * @param description "conversation ID" or "incident ID", for requests and messages
 * @param selection the packets wanted
 * @param conversationIds the conversations concerned
 * @param earlierRequestId the request made when the incident opened ({@link
 *     IncidentPcapTrigger#requestId}), whose answers on pcap.answers count too; null for none
 */
public record PcapSubject(
    String description,
    PacketSelection selection,
    List<String> conversationIds,
    String earlierRequestId) {

  /**
   * The packets of one conversation.
   *
   * @throws PcapException when the flows topic has no record of it
   */
  public static PcapSubject conversation(
      KafkaClientSettings kafka, Topics topics, String id, DetectionConfig cfg, Duration timeout) {
    List<FlowRecord> flows = read(kafka, topics.flows(), AvroSerde.flowRecord()::decode, timeout);
    PacketSelection s = IncidentFlows.conversation(flows, id, IncidentPcaps.lateNanos(cfg));
    if (s == null) {
      throw new PcapException(
          "unknown conversation " + id + ": no record of it on topic " + topics.flows());
    }
    return new PcapSubject("conversation " + id, s, List.of(id), null);
  }

  /**
   * The packets of the conversations an incident concerns.
   *
   * @throws PcapException when the incidents topic has no record of it, or it concerns no
   *     conversation found on the flows topic
   */
  public static PcapSubject incident(
      KafkaClientSettings kafka, Topics topics, String id, DetectionConfig cfg, Duration timeout) {
    List<Incident> incidents =
        read(kafka, topics.incidents(), AvroSerde.incident()::decode, timeout).stream()
            .filter(i -> i.getId().equals(id))
            .toList();
    if (incidents.isEmpty()) {
      throw new PcapException(
          "unknown incident " + id + ": no record of it on topic " + topics.incidents());
    }
    List<Alert> alerts = read(kafka, topics.alerts(), AvroSerde.alert()::decode, timeout);
    List<FlowRecord> flows = read(kafka, topics.flows(), AvroSerde.flowRecord()::decode, timeout);
    IncidentFlows.Selected s =
        IncidentFlows.select(
                incidents,
                alerts,
                flows,
                IncidentPcaps.slackNanos(cfg),
                IncidentPcaps.lateNanos(cfg))
            .get(0);
    if (s.packets().isEmpty()) {
      throw new PcapException(
          "incident " + id + ": none of its conversations is on topic " + topics.flows());
    }
    return new PcapSubject(
        "incident " + id, s.packets(), s.conversationIds(), IncidentPcapTrigger.requestId(id));
  }

  private static <V> List<V> read(
      KafkaClientSettings kafka, String topic, Function<byte[], V> decoder, Duration timeout) {
    try (TopicTail<V> tail = new TopicTail<>(kafka, topic, decoder)) {
      return tail.readToEnd(timeout).stream().map(TopicTail.Item::value).toList();
    }
  }
}
