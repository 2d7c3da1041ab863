package io.hoptrace.pcap;

import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.evidence.PcapExchange;
import io.hoptrace.pipeline.TopicTail;
import io.hoptrace.publish.TopicCreation;
import io.hoptrace.replay.IncidentPcaps;
import io.hoptrace.schema.AvroSerde;
import io.hoptrace.schema.KafkaClientSettings;
import io.hoptrace.schema.TopicSettings;
import io.hoptrace.schema.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Asks the live sensors for an incident's packets when it opens, while their rings still hold them:
 * follows the detection's incidents, alerts and flows ({@code read_committed}, from where they end
 * when it starts) and, once an incident's conversations are known ({@link IncidentEvidenceWindow}),
 * publishes a {@link io.hoptrace.schema.PcapRequest} for them on {@code pcap.requests} under {@link
 * #requestId}. The sensors answer on {@code pcap.answers} (kept an hour), where {@code hoptrace
 * pcap --incident ID} finds the answers later and merges them with what the rings hold then — the
 * evidence of the incident's first minute survives rings that moved on and sensors that went.
 *
 * <p>One thread; {@link #close} stops it. Requests and incidents given up (none of their
 * conversations had a flow record) are counted.
 */
public final class IncidentPcapTrigger implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration SHORT_POLL = Duration.ofMillis(20);

  private final Topics topics;
  private final TopicTail<io.hoptrace.schema.Incident> incidents;
  private final TopicTail<io.hoptrace.schema.Alert> alerts;
  private final TopicTail<io.hoptrace.schema.FlowRecord> flows;
  private final KafkaProducer<String, byte[]> producer;
  private final IncidentEvidenceWindow window;
  private final Consumer<String> log;
  private final AtomicLong requested = new AtomicLong();
  private final AtomicLong givenUp = new AtomicLong();
  private final Thread thread;
  private volatile boolean stop;

  /** The id of the request made for incident {@code incidentId} when it opened. */
  public static String requestId(String incidentId) {
    return "incident-" + incidentId;
  }

  /**
   * How long after an incident's first record its conversations are looked up: a conversation's
   * first flow record comes at most {@code flow.update.interval.ms} after its first packet, and
   * packets are judged a lateness after they arrive.
   */
  public static Duration settle(DetectionConfig cfg) {
    return Duration.ofMillis(
        cfg.get(DetectionConfig.FLOW_UPDATE_INTERVAL_MS)
            + cfg.get(DetectionConfig.LATENESS_MS)
            + 1_000);
  }

  private IncidentPcapTrigger(
      KafkaClientSettings kafka,
      Topics topics,
      IncidentEvidenceWindow window,
      Consumer<String> log) {
    this.topics = topics;
    this.window = window;
    this.log = log;
    this.incidents =
        new TopicTail<>(kafka, topics.incidents(), AvroSerde.incident()::decode).fromEnd();
    TopicTail<io.hoptrace.schema.Alert> a = null;
    try {
      a = new TopicTail<>(kafka, topics.alerts(), AvroSerde.alert()::decode).fromEnd();
      this.flows = new TopicTail<>(kafka, topics.flows(), AvroSerde.flowRecord()::decode).fromEnd();
    } catch (RuntimeException e) {
      incidents.close();
      if (a != null) {
        a.close();
      }
      throw e;
    }
    this.alerts = a;
    Map<String, Object> p = kafka.client();
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "hoptrace-incident-pcaps");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    this.thread = new Thread(this::run, "hoptrace-incident-pcaps");
    this.thread.setDaemon(true);
  }

  /**
   * Starts following the detection's output on {@code topics} (creating the pcap topics when
   * missing).
   *
   * @param settle how long after an incident's first record its packets are asked for ({@link
   *     #settle})
   * @param log one line per request made or incident given up
   */
  public static IncidentPcapTrigger start(
      KafkaClientSettings kafka,
      Topics topics,
      DetectionConfig cfg,
      Duration settle,
      Consumer<String> log) {
    TopicCreation.ensure(
        kafka.client(), TopicSettings.pcapTopics(topics, Optional.empty()), 30_000);
    IncidentEvidenceWindow window =
        new IncidentEvidenceWindow(
            settle.toMillis(),
            200_000,
            IncidentPcaps.slackNanos(cfg),
            IncidentPcaps.lateNanos(cfg));
    IncidentPcapTrigger t = new IncidentPcapTrigger(kafka, topics, window, log);
    t.thread.start();
    return t;
  }

  /** Requests made so far. */
  public long requested() {
    return requested.get();
  }

  /** Incidents given up so far: none of their conversations had a flow record in time. */
  public long givenUp() {
    return givenUp.get();
  }

  private void run() {
    try {
      while (!stop) {
        long now = System.currentTimeMillis();
        incidents.poll(POLL).forEach(i -> window.incident(i.value(), now));
        alerts.poll(SHORT_POLL).forEach(a -> window.alert(a.value()));
        flows.poll(SHORT_POLL).forEach(f -> window.flow(f.value()));
        for (IncidentEvidenceWindow.Due d : window.due(System.currentTimeMillis())) {
          ask(d);
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      log.accept("stopped asking sensors for incidents' packets: " + e.getMessage());
    }
  }

  private void ask(IncidentEvidenceWindow.Due d) {
    String incident = d.incident().getId();
    if (d.packets().isEmpty()) {
      givenUp.incrementAndGet();
      log.accept(
          "incident "
              + incident
              + ": no flow record of its conversations, no pcap asked ("
              + window.alerts()
              + " alert and "
              + window.flows()
              + " flow records known)");
      return;
    }
    String id = requestId(incident);
    byte[] request =
        PcapExchange.encodeRequestNow(id, "incident " + incident + " (opened)", d.packets());
    producer.send(
        new ProducerRecord<>(topics.pcapRequests(), id, request),
        (md, e) -> {
          if (e != null) {
            log.accept("incident " + incident + ": pcap request not sent: " + e.getMessage());
          } else {
            requested.incrementAndGet();
            log.accept(
                "incident "
                    + incident
                    + ": asked the sensors for the packets of "
                    + d.conversationIds().size()
                    + " conversation(s) (hoptrace pcap --incident "
                    + incident
                    + ")");
          }
        });
  }

  @Override
  public void close() {
    stop = true;
    incidents.wakeup();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    incidents.close();
    alerts.close();
    flows.close();
    producer.close(Duration.ofSeconds(2));
  }
}
