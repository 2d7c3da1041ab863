package io.hoptrace.pcap;

import io.hoptrace.capture.HopPcapngWriter;
import io.hoptrace.evidence.PcapExchange;
import io.hoptrace.publish.TopicCreation;
import io.hoptrace.schema.AvroSerde;
import io.hoptrace.schema.KafkaClientSettings;
import io.hoptrace.schema.PcapAnswer;
import io.hoptrace.schema.TopicSettings;
import io.hoptrace.schema.Topics;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code hoptrace pcap}: publishes a {@link PcapSubject}'s selection as a request on pcap.requests,
 * collects the sensors' answers on pcap.answers ({@link PcapExchange}) and merges them into one
 * pcapng ({@link HopPcapngWriter}: one interface per hop, {@code if_name} = hop id, {@code
 * if_description} = role), packets in capture-time order.
 *
 * <p>Every live sensor with rings answers; which sensors exist is not known for sure, so the
 * answers are collected until every node of the nodes topic (the sensors' inventories) has answered
 * completely, or the timeout — then what came is written, and the nodes that did not answer are
 * named. The file is written only when at least one sensor answered (to a temporary file first,
 * moved into place).
 */
public final class PcapRequester {

  /**
   * What was written.
   *
   * @param packets packets written
   * @param packetsPerHop per hop id, in the order of the hops' first packet
   * @param packetsPerNode per answering node, in the order of their answers
   * @param silentNodes nodes of the nodes topic that did not answer (completely) in time
   */
  public record Result(
      long packets,
      Map<String, Long> packetsPerHop,
      Map<String, Long> packetsPerNode,
      List<String> silentNodes) {}

  /** One sensor's answer parts so far. */
  private static final class SensorAnswer {
    final String node;
    final Map<Integer, PcapAnswer> parts = new TreeMap<>();
    int last = -1;

    SensorAnswer(String node) {
      this.node = node;
    }

    boolean complete() {
      return last >= 0 && parts.size() == last + 1;
    }
  }

  private PcapRequester() {}

  /**
   * Asks, waits at most {@code timeout} for the answers and writes {@code out}.
   *
   * @throws PcapException when no sensor answered within the timeout, or an answer is malformed
   * @throws IOException when {@code out} cannot be written
   */
  public static Result run(
      KafkaClientSettings kafka, Topics topics, PcapSubject subject, Path out, Duration timeout)
      throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    TopicCreation.ensure(
        kafka.client(), TopicSettings.pcapTopics(topics, Optional.empty()), timeout.toMillis());
    Set<String> nodes = knownNodes(kafka, topics, timeout);
    String id = UUID.randomUUID().toString();
    Map<String, SensorAnswer> answers = new LinkedHashMap<>();
    List<PcapAnswer> earlier =
        subject.earlierRequestId() == null
            ? List.of()
            : earlierAnswers(kafka, topics, subject.earlierRequestId(), timeout);
    try (KafkaConsumer<String, byte[]> consumer = answersConsumer(kafka, topics, timeout)) {
      send(kafka, topics, subject, id, timeout);
      while (System.nanoTime() < deadline && !allAnswered(nodes, answers)) {
        long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        for (ConsumerRecord<String, byte[]> r :
            consumer.poll(Duration.ofMillis(Math.min(200, left)))) {
          if (!id.equals(r.key()) || r.value() == null) {
            continue;
          }
          PcapAnswer a;
          try {
            a = PcapExchange.decodeAnswer(r.value());
          } catch (RuntimeException e) {
            throw new PcapException(
                "unreadable answer on " + topics.pcapAnswers() + ": " + e.getMessage());
          }
          add(answers, a);
        }
      }
    }
    if (answers.isEmpty() && earlier.isEmpty()) {
      throw new PcapException(
          "no sensor answered within "
              + timeout.toSeconds()
              + " s (sensors answer when they keep rings: live, or --pcap with --ring-seconds;"
              + " topic "
              + topics.pcapRequests()
              + ")");
    }
    earlier.forEach(a -> add(answers, a));
    return write(answers, nodes, out);
  }

  /**
   * The answers on pcap.answers to {@code requestId} (the request made when the incident opened,
   * {@link IncidentPcapTrigger}): what the rings held then.
   */
  private static List<PcapAnswer> earlierAnswers(
      KafkaClientSettings kafka, Topics topics, String requestId, Duration timeout) {
    List<PcapAnswer> out = new ArrayList<>();
    try (var tail = new io.hoptrace.pipeline.TopicTail<>(kafka, topics.pcapAnswers(), b -> b)) {
      for (var item : tail.readToEnd(timeout)) {
        if (requestId.equals(item.key())) {
          try {
            out.add(PcapExchange.decodeAnswer(item.value()));
          } catch (RuntimeException e) {
            throw new PcapException(
                "unreadable answer on " + topics.pcapAnswers() + ": " + e.getMessage());
          }
        }
      }
    }
    return out;
  }

  private static void add(Map<String, SensorAnswer> answers, PcapAnswer a) {
    SensorAnswer s =
        answers.computeIfAbsent(
            a.getRequestId() + " " + a.getSensorId(), k -> new SensorAnswer(a.getNode()));
    s.parts.put(a.getPart(), a);
    if (a.getLast()) {
      s.last = a.getPart();
    }
  }

  /**
   * Merges answer parts, as received, into {@code out}: every sensor's parts in part order, all
   * packets in capture-time order, a packet that two answers hold (the request made when the
   * incident opened and this one) once; the nodes of {@code nodes} without a complete answer are
   * named.
   */
  static Result write(List<PcapAnswer> received, Set<String> nodes, Path out) throws IOException {
    Map<String, SensorAnswer> answers = new LinkedHashMap<>();
    received.forEach(a -> add(answers, a));
    return write(answers, nodes, out);
  }

  private static Result write(Map<String, SensorAnswer> answers, Set<String> nodes, Path out)
      throws IOException {
    List<PcapExchange.Packet> packets = new ArrayList<>();
    Map<String, Long> perNode = new LinkedHashMap<>();
    Set<SamePacket> seen = new HashSet<>();
    for (SensorAnswer s : answers.values()) {
      long n = 0;
      for (PcapAnswer part : s.parts.values()) {
        List<PcapExchange.Packet> p;
        try {
          p = PcapExchange.packets(part);
        } catch (IllegalArgumentException e) {
          throw new PcapException(e.getMessage());
        }
        for (PcapExchange.Packet x : p) {
          if (seen.add(SamePacket.of(x))) {
            packets.add(x);
            n++;
          }
        }
      }
      perNode.merge(s.node, n, Long::sum);
    }
    // stable: equal times keep the answers' order (a sensor's hops in the order it first saw them)
    packets.sort(Comparator.comparingLong(PcapExchange.Packet::tsNanos));
    Path abs = out.toAbsolutePath();
    Path tmp = abs.resolveSibling("." + abs.getFileName() + ".part");
    Map<String, Long> perHop;
    try (HopPcapngWriter w = HopPcapngWriter.create(tmp)) {
      for (PcapExchange.Packet p : packets) {
        w.write(p.hop(), p.linkType(), p.tsNanos(), p.data(), 0, p.data().length, p.wireLength());
      }
      perHop = new LinkedHashMap<>(w.packetsPerHop());
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
    List<String> silent = new ArrayList<>();
    for (String n : nodes) {
      if (answers.values().stream().noneMatch(s -> s.node.equals(n) && s.complete())) {
        silent.add(n);
      }
    }
    return new Result(packets.size(), perHop, perNode, silent);
  }

  /** A packet as captured on one hop: two answers holding it hold the same packet. */
  private record SamePacket(String hop, long tsNanos, int wireLength, ByteBuffer data) {
    static SamePacket of(PcapExchange.Packet p) {
      return new SamePacket(p.hop().id(), p.tsNanos(), p.wireLength(), ByteBuffer.wrap(p.data()));
    }
  }

  private static boolean allAnswered(Set<String> nodes, Map<String, SensorAnswer> answers) {
    if (nodes.isEmpty() || answers.values().stream().anyMatch(s -> !s.complete())) {
      return false;
    }
    for (String n : nodes) {
      if (answers.values().stream().noneMatch(s -> s.node.equals(n))) {
        return false;
      }
    }
    return true;
  }

  /** The nodes with an inventory on the nodes topic: the sensors expected to answer. */
  private static Set<String> knownNodes(
      KafkaClientSettings kafka, Topics topics, Duration timeout) {
    Set<String> nodes = new LinkedHashSet<>();
    try (var tail =
        new io.hoptrace.pipeline.TopicTail<>(
            kafka, topics.nodes(), AvroSerde.nodeInventory()::decode)) {
      for (var item : tail.readToEnd(timeout)) {
        nodes.add(item.key());
      }
    }
    return nodes;
  }

  private static KafkaConsumer<String, byte[]> answersConsumer(
      KafkaClientSettings kafka, Topics topics, Duration timeout) {
    Map<String, Object> c = kafka.client();
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, "hoptrace-pcap-answers");
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    try {
      String topic = topics.pcapAnswers();
      List<TopicPartition> parts = new ArrayList<>();
      consumer
          .partitionsFor(topic, timeout)
          .forEach(p -> parts.add(new TopicPartition(topic, p.partition())));
      if (parts.isEmpty()) {
        throw new PcapException("topic " + topic + " does not exist and could not be created");
      }
      consumer.assign(parts);
      consumer.seekToEnd(parts);
      for (TopicPartition tp : parts) {
        consumer.position(tp, timeout); // fixed before the request goes out
      }
      return consumer;
    } catch (RuntimeException e) {
      consumer.close(Duration.ofSeconds(1));
      throw e;
    }
  }

  private static void send(
      KafkaClientSettings kafka, Topics topics, PcapSubject subject, String id, Duration timeout) {
    Map<String, Object> p = kafka.client();
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "hoptrace-pcap-request");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
    byte[] request = PcapExchange.encodeRequestNow(id, subject.description(), subject.selection());
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      producer
          .send(new ProducerRecord<>(topics.pcapRequests(), id, request))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new PcapException(
          "cannot publish the request on "
              + topics.pcapRequests()
              + ": "
              + e.getCause().getMessage());
    } catch (TimeoutException e) {
      throw new PcapException("publishing the request on " + topics.pcapRequests() + " timed out");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PcapException("interrupted");
    }
  }
}
