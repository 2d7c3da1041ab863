package io.hoptrace.pipeline;

import io.hoptrace.schema.TopicSettings;
import io.hoptrace.schema.Topics;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The topics of the detection job and how they are created, as {@link TopicSettings} says (the one
 * place that decides topic settings, shared with the sensor): {@code packets} with a configurable
 * partition count (default 1: stitching the flow keys of one NAT-ed conversation needs them on one
 * task, see {@link io.hoptrace.streams.DetectionTopology}), {@code nodes} compacted, the outputs
 * with one partition each.
 */
public final class DetectionTopics {
  /** Default partitions of the packets topic ({@link TopicSettings#DEFAULT_PACKETS_PARTITIONS}). */
  public static final int DEFAULT_PACKETS_PARTITIONS = TopicSettings.DEFAULT_PACKETS_PARTITIONS;

  private DetectionTopics() {}

  /** {@link TopicSettings#all}. */
  public static List<NewTopic> newTopics(
      Topics topics, int packetsPartitions, Optional<Short> replicationFactor) {
    return TopicSettings.all(topics, packetsPartitions, replicationFactor);
  }

  /** Creates the missing topics on an external cluster (existing ones are left as they are). */
  public static void ensure(
      Admin admin, Topics topics, int packetsPartitions, Optional<Short> replicationFactor) {
    for (var e :
        admin
            .createTopics(newTopics(topics, packetsPartitions, replicationFactor))
            .values()
            .entrySet()) {
      try {
        e.getValue().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException ex) {
        if (!(ex.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException(
              "cannot create topic " + e.getKey() + ": " + ex.getCause(), ex.getCause());
        }
      } catch (java.util.concurrent.TimeoutException ex) {
        throw new IllegalStateException("creating topic " + e.getKey() + " timed out", ex);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", ex);
      }
    }
  }

  /** The number of partitions of a topic. */
  public static int partitions(Admin admin, String topic) {
    // a topic just created may not be in every broker's metadata yet: ask again for a while
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        return admin
            .describeTopics(List.of(topic))
            .allTopicNames()
            .get(30, TimeUnit.SECONDS)
            .get(topic)
            .partitions()
            .size();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
            || System.nanoTime() > deadline) {
          throw new IllegalStateException("cannot describe topic " + topic + ": " + e, e);
        }
      } catch (java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException("cannot describe topic " + topic + ": " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }
}
