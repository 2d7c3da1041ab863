package io.hoptrace.evidence;

import io.hoptrace.decode.DecoderConfig;
import io.hoptrace.publish.PublisherConfig;
import io.hoptrace.publish.TopicCreation;
import io.hoptrace.schema.PcapAnswer;
import io.hoptrace.schema.PcapRequest;
import io.hoptrace.schema.TopicSettings;
import io.hoptrace.schema.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A sensor's side of {@code hoptrace pcap}: reads every request on the pcap.requests topic made
 * after it started (all partitions, no consumer group: every sensor sees every request), selects
 * the packets its {@link HopRings} keep of the requested flows and answers on pcap.answers ({@link
 * PcapExchange}), on a thread of its own — the capture threads only copy packets into the rings. A
 * request that cannot be read is logged and skipped.
 */
public final class RingResponder implements AutoCloseable {
  private final HopRings rings;
  private final DecoderConfig decoderConfig;
  private final String node;
  private final String sensorId = UUID.randomUUID().toString();
  private final Topics topics;
  private final Consumer<String> log;
  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<String, byte[]> producer;
  private final Thread thread;
  private final AtomicLong answered = new AtomicLong();
  private volatile boolean closed;

  private RingResponder(
      PublisherConfig config,
      HopRings rings,
      DecoderConfig decoderConfig,
      String node,
      Consumer<String> log) {
    this.rings = rings;
    this.decoderConfig = decoderConfig;
    this.node = node;
    this.topics = config.topics();
    this.log = log;
    Map<String, Object> c = new HashMap<>(config.clientOverrides());
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, "hoptrace-sensor-" + node + "-pcap-requests");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    Map<String, Object> p = new HashMap<>(config.clientOverrides());
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "hoptrace-sensor-" + node + "-pcap-answers");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    this.thread = new Thread(this::run, "hoptrace-pcap-responder");
    thread.setDaemon(true);
  }

  /**
   * Creates the request and answer topics when missing (if the sensor creates topics), positions
   * itself at the end of the requests (a request made from now on is answered) and starts
   * answering.
   *
   * @param log one line per request answered or skipped (for stderr)
   */
  public static RingResponder start(
      PublisherConfig config,
      HopRings rings,
      DecoderConfig decoderConfig,
      String node,
      Consumer<String> log) {
    if (config.createTopics()) {
      TopicCreation.ensure(
          config.adminProperties(),
          TopicSettings.pcapTopics(config.topics(), config.replicationFactor()),
          config.adminTimeoutMs());
    }
    RingResponder r = new RingResponder(config, rings, decoderConfig, node, log);
    try {
      String topic = r.topics.pcapRequests();
      List<TopicPartition> parts = new ArrayList<>();
      r.consumer
          .partitionsFor(topic, Duration.ofMillis(config.adminTimeoutMs()))
          .forEach(pi -> parts.add(new TopicPartition(topic, pi.partition())));
      if (parts.isEmpty()) {
        throw new IllegalStateException("topic " + topic + " does not exist");
      }
      r.consumer.assign(parts);
      r.consumer.seekToEnd(parts);
      for (TopicPartition tp : parts) {
        r.consumer.position(tp, Duration.ofMillis(config.adminTimeoutMs())); // fixed now
      }
    } catch (RuntimeException e) {
      r.closeClients();
      throw e;
    }
    r.thread.start();
    return r;
  }

  /** Requests answered so far. */
  public long answered() {
    return answered.get();
  }

  private void run() {
    try {
      while (!closed) {
        for (ConsumerRecord<String, byte[]> rec : consumer.poll(Duration.ofMillis(500))) {
          answer(rec);
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      if (!closed) {
        log.accept("pcap requests: stopped answering: " + e);
      }
    }
  }

  private void answer(ConsumerRecord<String, byte[]> rec) {
    PcapRequest request;
    PacketSelection selection;
    try {
      request = PcapExchange.decodeRequest(rec.value());
      selection = PcapExchange.selection(request);
    } catch (RuntimeException e) {
      log.accept("pcap requests: skipped record at offset " + rec.offset() + ": " + e.getMessage());
      return;
    }
    List<HopRings.Kept> kept = rings.select(selection, decoderConfig);
    List<PcapAnswer> parts = PcapExchange.answer(request.getId(), node, sensorId, kept);
    for (PcapAnswer part : parts) {
      producer.send(
          new ProducerRecord<>(topics.pcapAnswers(), request.getId(), PcapExchange.encode(part)),
          (md, err) -> {
            if (err != null) {
              log.accept("pcap answer to " + request.getId() + " not sent: " + err.getMessage());
            }
          });
    }
    producer.flush();
    answered.incrementAndGet();
    log.accept(
        "pcap request "
            + request.getId()
            + " ("
            + request.getSubject()
            + "): answered "
            + kept.size()
            + " packet(s) in "
            + parts.size()
            + " part(s)");
  }

  @Override
  public void close() {
    closed = true;
    consumer.wakeup();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeClients();
  }

  private void closeClients() {
    try {
      consumer.close(Duration.ofSeconds(2));
    } catch (RuntimeException ignored) {
      // the thread may still be polling when it did not stop in time
    }
    producer.close(Duration.ofSeconds(2));
  }
}
