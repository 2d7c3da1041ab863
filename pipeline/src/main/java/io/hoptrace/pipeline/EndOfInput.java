package io.hoptrace.pipeline;

import io.hoptrace.schema.KafkaClientSettings;
import io.hoptrace.schema.Topics;
import io.hoptrace.streams.DetectionTopology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * End of a replay: the FLUSH marker on every packets partition, and the wait until the detection
 * job has consumed and committed everything.
 *
 * <p>Drained means: the job's committed offsets (its consumer group is its application id) reached
 * the end of every packets partition, which holds the FLUSH markers, and of every partition of its
 * internal findings repartition topic, which carries the markers on to the alert stage. With
 * exactly-once the outputs of a record are committed in the same transaction as its offset, so once
 * drained every flow record and alert caused by the input (and by the flush) is readable with
 * {@code read_committed}. The condition must hold on two checks in a row, {@code settle} apart.
 */
public final class EndOfInput {
  private static final String FINDINGS_REPARTITION = "-findings-repartition";

  private EndOfInput() {}

  /** Sends {@link DetectionTopology#FLUSH_KEY} (null value) to every partition of packets. */
  public static void sendFlush(KafkaClientSettings kafka, Topics topics, Admin admin) {
    int partitions = partitions(admin, topics.packets());
    Map<String, Object> cfg = kafka.client();
    cfg.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    cfg.put(ProducerConfig.ACKS_CONFIG, "all");
    cfg.put(ProducerConfig.CLIENT_ID_CONFIG, "hoptrace-flush");
    try (KafkaProducer<String, byte[]> p =
        new KafkaProducer<>(cfg, new StringSerializer(), new ByteArraySerializer())) {
      List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
      for (int i = 0; i < partitions; i++) {
        sent.add(
            p.send(new ProducerRecord<>(topics.packets(), i, DetectionTopology.FLUSH_KEY, null)));
      }
      p.flush();
      for (var f : sent) {
        f.get(30, TimeUnit.SECONDS);
      }
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("cannot send the end-of-input marker: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * Waits until the job {@code applicationId} has committed offsets at the end of packets and of
   * its findings repartition topic.
   *
   * @param healthy called on every check; throws when the job failed
   * @throws IllegalStateException when not drained within {@code timeout}
   */
  public static void awaitDrained(
      Admin admin,
      String applicationId,
      Topics topics,
      Duration timeout,
      Duration settle,
      Runnable healthy) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int inARow = 0;
    String last = "";
    while (true) {
      healthy.run();
      last = lag(admin, applicationId, topics);
      inARow = last.isEmpty() ? inARow + 1 : 0;
      if (inARow >= 2) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "detection job "
                + applicationId
                + " not drained after "
                + timeout.toSeconds()
                + " s: "
                + last);
      }
      DetectionJob.sleep(settle.toMillis());
    }
  }

  /** What the job still has to consume ("" when nothing). */
  static String lag(Admin admin, String applicationId, Topics topics) {
    try {
      List<String> inputs = new ArrayList<>();
      inputs.add(topics.packets());
      String repartition = applicationId + FINDINGS_REPARTITION;
      Map<String, TopicDescription> described =
          admin.describeTopics(List.of(topics.packets())).allTopicNames().get(10, TimeUnit.SECONDS);
      boolean hasRepartition =
          admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(repartition);
      Map<TopicPartition, OffsetSpec> request = new HashMap<>();
      for (var d : described.values()) {
        d.partitions()
            .forEach(
                p -> request.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
      }
      if (hasRepartition) {
        admin
            .describeTopics(List.of(repartition))
            .allTopicNames()
            .get(10, TimeUnit.SECONDS)
            .get(repartition)
            .partitions()
            .forEach(
                p ->
                    request.put(
                        new TopicPartition(repartition, p.partition()), OffsetSpec.latest()));
      }
      var ends =
          admin
              .listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
              .all()
              .get(10, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(applicationId)
              .partitionsToOffsetAndMetadata()
              .get(10, TimeUnit.SECONDS);
      StringBuilder lag = new StringBuilder();
      for (var e : ends.entrySet()) {
        long end = e.getValue().offset();
        OffsetAndMetadata c = committed.get(e.getKey());
        long at = c == null ? 0 : c.offset();
        if (at < end) {
          lag.append(e.getKey()).append(" at ").append(at).append(" of ").append(end).append("; ");
        }
      }
      return lag.toString();
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      return "cannot read offsets: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  static int partitions(Admin admin, String topic) {
    return DetectionTopics.partitions(admin, topic);
  }
}
