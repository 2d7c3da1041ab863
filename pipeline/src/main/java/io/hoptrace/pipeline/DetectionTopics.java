package io.hoptrace.pipeline;

import io.hoptrace.schema.Topics;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The topics of the detection job and how they are created: {@code packets} with a configurable
 * partition count (default 1: stitching the flow keys of one NAT-ed conversation needs them on one
 * task, see {@link io.hoptrace.streams.DetectionTopology}), {@code nodes} compacted (one inventory
 * per node), {@code flows}, {@code alerts} and {@code alerts.ecs} with one partition each; all but
 * {@code nodes} keep the broker's arrival time as record timestamp ({@link #ARRIVAL_TIME}).
 */
public final class DetectionTopics {
  /** Default partitions of the packets topic; 1 so that NAT stitching sees every flow key. */
  public static final int DEFAULT_PACKETS_PARTITIONS = 1;

  /**
   * Record timestamps set by the broker on arrival. The job stamps its outputs with event time, the
   * capture time of the traffic, and a replayed capture can be days or years old: with the
   * producer's timestamps the broker's time-based retention (7 days by default, checked every few
   * minutes) deletes such records as soon as they are written, before anyone reads them. Event time
   * itself travels in the records (the summary's capture timestamp, the alert's and flow's
   * first/last seen), and the job reads it from there ({@code PacketTimestampExtractor}).
   */
  static final Map<String, String> ARRIVAL_TIME =
      Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");

  private DetectionTopics() {}

  public static List<NewTopic> newTopics(
      Topics topics, int packetsPartitions, Optional<Short> replicationFactor) {
    if (packetsPartitions < 1) {
      throw new IllegalArgumentException("packets partitions must be >= 1");
    }
    return List.of(
        new NewTopic(topics.packets(), Optional.of(packetsPartitions), replicationFactor)
            .configs(ARRIVAL_TIME),
        new NewTopic(topics.nodes(), Optional.of(1), replicationFactor)
            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
        new NewTopic(topics.flows(), Optional.of(1), replicationFactor).configs(ARRIVAL_TIME),
        new NewTopic(topics.alerts(), Optional.of(1), replicationFactor).configs(ARRIVAL_TIME),
        new NewTopic(topics.alertsEcs(), Optional.of(1), replicationFactor).configs(ARRIVAL_TIME),
        new NewTopic(topics.incidents(), Optional.of(1), replicationFactor).configs(ARRIVAL_TIME));
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
