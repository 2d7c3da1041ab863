package io.hoptrace.pipeline;

import io.hoptrace.metrics.SensorMetrics;
import io.hoptrace.publish.PublisherConfig;
import io.hoptrace.publish.SummaryPublisher;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AvroSerde;
import io.hoptrace.schema.FlowHopCounters;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.Incident;
import io.hoptrace.schema.KafkaClientSettings;
import io.hoptrace.schema.NodeInventory;
import io.hoptrace.schema.PacketSummary;
import io.hoptrace.schema.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The ways into and out of a detection job through its Kafka topics, whatever engine runs it (the
 * Kafka Streams {@link EmbeddedPipeline}, the Flink host): publishing inventories and packet
 * summaries as a replay does, reading the committed alerts, flow and incident records. Readers are
 * kept between calls (each read continues where the last ended and returns every record so far);
 * {@link #close()} closes them.
 */
public final class JobTopicsIo implements AutoCloseable {
  private final KafkaClientSettings kafka;
  private final Topics topics;
  private TopicTail<Alert> alertTail;
  private TopicTail<FlowRecord> flowTail;
  private TopicTail<Incident> incidentTail;

  /** What the readers read so far: each read call continues from there and returns it all. */
  private final List<Alert> alertsRead = new ArrayList<>();

  private final List<FlowRecord> flowsRead = new ArrayList<>();
  private final List<Incident> incidentsRead = new ArrayList<>();

  public JobTopicsIo(KafkaClientSettings kafka, Topics topics) {
    this.kafka = kafka;
    this.topics = topics;
  }

  /** A publisher to the packets and nodes topics (topics exist already; none are created). */
  public SummaryPublisher newPublisher() {
    Map<String, Object> cfg = PublisherConfig.settingsFor(kafka);
    cfg.put(PublisherConfig.TOPIC_PREFIX, topics.prefix());
    cfg.put(PublisherConfig.TOPIC_CREATE, false);
    cfg.put(PublisherConfig.CLIENT_ID, "hoptrace-replay");
    // a replay must not drop: wait for the (local) broker instead of counting drops
    cfg.put(PublisherConfig.MAX_BLOCK_MS, 60_000L);
    return new SummaryPublisher(new PublisherConfig(cfg), SensorMetrics.noop());
  }

  /** A {@link #newPublisher()} as a replay's {@link PacketSink}. */
  public PacketSink newPacketSink() {
    SummaryPublisher p = newPublisher();
    return new PacketSink() {
      @Override
      public void publish(String key, PacketSummary summary) {
        p.publish(key, summary);
      }

      @Override
      public void publishCounters(String key, FlowHopCounters counters) {
        p.publishCounters(key, counters);
      }

      @Override
      public void flush() {
        p.flush();
      }

      @Override
      public long failed() {
        return p.failed();
      }

      @Override
      public void close() {
        p.close();
      }
    };
  }

  /**
   * Publishes node inventories and waits for the broker's acknowledgement.
   *
   * @throws IllegalStateException when not every inventory was sent
   */
  public void publishInventories(List<NodeInventory> inventories) {
    try (SummaryPublisher p = newPublisher()) {
      inventories.forEach(p::publishInventory);
      p.flush();
      if (p.inventoriesSent() != inventories.size()) {
        throw new IllegalStateException(
            "only " + p.inventoriesSent() + " of " + inventories.size() + " inventories were sent");
      }
    }
  }

  /** A new reader of the alerts topic from its beginning (the caller closes it). */
  public TopicTail<Alert> tailAlerts() {
    return new TopicTail<>(kafka, topics.alerts(), AvroSerde.alert()::decode);
  }

  /** A new reader of the flows topic from its beginning (the caller closes it). */
  public TopicTail<FlowRecord> tailFlows() {
    return new TopicTail<>(kafka, topics.flows(), AvroSerde.flowRecord()::decode);
  }

  /** A new reader of the incidents topic from its beginning (the caller closes it). */
  public TopicTail<Incident> tailIncidents() {
    return new TopicTail<>(kafka, topics.incidents(), AvroSerde.incident()::decode);
  }

  /** Every alert record committed so far, in topic order (FIRING, updates, RESOLVED). */
  public synchronized List<Alert> readAlerts() {
    if (alertTail == null) {
      alertTail = tailAlerts();
    }
    alertTail.readToEnd(Duration.ofSeconds(60)).forEach(i -> alertsRead.add(i.value()));
    return List.copyOf(alertsRead);
  }

  /** Every flow record committed so far (interim and final), in topic order. */
  public synchronized List<FlowRecord> readFlows() {
    if (flowTail == null) {
      flowTail = tailFlows();
    }
    flowTail.readToEnd(Duration.ofSeconds(60)).forEach(i -> flowsRead.add(i.value()));
    return List.copyOf(flowsRead);
  }

  /** Every incident record committed so far, in topic order. */
  public synchronized List<Incident> readIncidents() {
    if (incidentTail == null) {
      incidentTail = tailIncidents();
    }
    incidentTail.readToEnd(Duration.ofSeconds(60)).forEach(i -> incidentsRead.add(i.value()));
    return List.copyOf(incidentsRead);
  }

  /** Calls {@code onAlert} for every alert record, from the first, as the job commits them. */
  public DetectionHost.Watch watchAlerts(Consumer<Alert> onAlert) {
    return Follower.start(tailAlerts(), onAlert, "hoptrace-alerts-watch");
  }

  /** Calls {@code onFlow} for every flow record, from the first, as the job commits them. */
  public DetectionHost.Watch watchFlows(Consumer<FlowRecord> onFlow) {
    return Follower.start(tailFlows(), onFlow, "hoptrace-flows-watch");
  }

  /** Calls {@code onIncident} for every incident record, from the first, as committed. */
  public DetectionHost.Watch watchIncidents(Consumer<Incident> onIncident) {
    return Follower.start(tailIncidents(), onIncident, "hoptrace-incidents-watch");
  }

  /**
   * Closes the readers of {@link #readAlerts()}, {@link #readFlows()}, {@link #readIncidents()}.
   */
  @Override
  public synchronized void close() {
    if (incidentTail != null) {
      incidentTail.close();
    }
    if (alertTail != null) {
      alertTail.close();
    }
    if (flowTail != null) {
      flowTail.close();
    }
  }
}
