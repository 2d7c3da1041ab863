package io.hoptrace.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/**
 * How hoptrace's topics ({@link Topics}) are created, in one place: whoever creates them (the
 * sensor at start, {@code hoptrace run}, {@code hoptrace flink}, {@code hoptrace broker}, the
 * embedded pipeline) creates them alike. {@code packets} gets {@link #DEFAULT_PACKETS_PARTITIONS}
 * partitions unless told otherwise, and {@code drops} as many (its records are keyed like packets
 * and must land on the same stage-one task); {@code nodes} is compacted with one partition; {@code
 * flows}, {@code alerts}, {@code alerts.ecs} and {@code incidents} have one partition each. Every
 * topic but {@code nodes} keeps the broker's arrival time as record timestamp ({@link
 * #ARRIVAL_TIME}).
 *
 * <p>Needs {@code kafka-clients} (an optional dependency of this module).
 */
public final class TopicSettings {

  /**
   * Partitions of a packets topic created without an explicit count: 1, so that the detection job's
   * NAT stitching sees every flow key of a conversation on one task (live sensors key summaries by
   * their own flow key; see {@code DetectionTopology}).
   */
  public static final int DEFAULT_PACKETS_PARTITIONS = 1;

  /**
   * Record timestamps set by the broker on arrival. The job stamps its outputs with event time, the
   * capture time of the traffic, and a replayed capture can be days or years old: with the
   * producer's timestamps the broker's time-based retention (7 days by default, checked every few
   * minutes) deletes such records as soon as they are written, before anyone reads them. Event time
   * itself travels in the records (the summary's capture timestamp, the alert's and flow's
   * first/last seen).
   */
  public static final Map<String, String> ARRIVAL_TIME =
      Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");

  private static final Map<String, String> PACKETS_CONFIG =
      Map.of(
          TopicConfig.CLEANUP_POLICY_CONFIG,
          TopicConfig.CLEANUP_POLICY_DELETE,
          TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG,
          "LogAppendTime");

  private static final Map<String, String> NODES_CONFIG =
      Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);

  private TopicSettings() {}

  /**
   * Checks a packets partition count.
   *
   * @throws IllegalArgumentException when below 1
   */
  public static int checkPacketsPartitions(int packetsPartitions) {
    if (packetsPartitions < 1) {
      throw new IllegalArgumentException(
          "packets partitions must be >= 1, got " + packetsPartitions);
    }
    return packetsPartitions;
  }

  /** The packets topic. */
  public static NewTopic packets(
      Topics topics, int packetsPartitions, Optional<Short> replicationFactor) {
    return keyedLikePackets(topics.packets(), packetsPartitions, replicationFactor);
  }

  /**
   * The drops topic: kernel drop reasons keyed by the canonical flow key, partitioned as packets
   * (co-partitioned: a conversation's drops reach the stage-one task of its packets).
   */
  public static NewTopic drops(
      Topics topics, int packetsPartitions, Optional<Short> replicationFactor) {
    return keyedLikePackets(topics.drops(), packetsPartitions, replicationFactor);
  }

  private static NewTopic keyedLikePackets(
      String name, int packetsPartitions, Optional<Short> replicationFactor) {
    return new NewTopic(
            name, Optional.of(checkPacketsPartitions(packetsPartitions)), replicationFactor)
        .configs(PACKETS_CONFIG);
  }

  /** The compacted nodes topic (one inventory per node). */
  public static NewTopic nodes(Topics topics, Optional<Short> replicationFactor) {
    return new NewTopic(topics.nodes(), Optional.of(1), replicationFactor).configs(NODES_CONFIG);
  }

  /** What a sensor creates at start when missing: packets, nodes and drops. */
  public static List<NewTopic> sensorTopics(
      Topics topics, int packetsPartitions, Optional<Short> replicationFactor) {
    return List.of(
        packets(topics, packetsPartitions, replicationFactor),
        nodes(topics, replicationFactor),
        drops(topics, packetsPartitions, replicationFactor));
  }

  /** How long the pcap request and answer topics keep records: they matter for seconds. */
  public static final long PCAP_RETENTION_MS = 3_600_000L;

  /**
   * The request and answer topics of {@code hoptrace pcap} (pcap.requests, pcap.answers): one
   * partition each (every sensor reads every request), arrival time, kept {@link
   * #PCAP_RETENTION_MS}. Created when missing by the sensors that keep rings and by the command.
   */
  public static List<NewTopic> pcapTopics(Topics topics, Optional<Short> replicationFactor) {
    Map<String, String> config =
        Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG,
            TopicConfig.CLEANUP_POLICY_DELETE,
            TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG,
            "LogAppendTime",
            TopicConfig.RETENTION_MS_CONFIG,
            Long.toString(PCAP_RETENTION_MS));
    return List.of(
        new NewTopic(topics.pcapRequests(), Optional.of(1), replicationFactor).configs(config),
        new NewTopic(topics.pcapAnswers(), Optional.of(1), replicationFactor).configs(config));
  }

  /**
   * Every topic of the detection job: packets, nodes, drops, flows, alerts, alerts.ecs, incidents.
   */
  public static List<NewTopic> all(
      Topics topics, int packetsPartitions, Optional<Short> replicationFactor) {
    List<NewTopic> out =
        new ArrayList<>(sensorTopics(topics, packetsPartitions, replicationFactor));
    for (String t :
        List.of(topics.flows(), topics.alerts(), topics.alertsEcs(), topics.incidents())) {
      out.add(new NewTopic(t, Optional.of(1), replicationFactor).configs(ARRIVAL_TIME));
    }
    return List.copyOf(out);
  }

  /**
   * What an existing cluster's topics do not have of what the detection job needs, one sentence
   * each (empty when all is well; call it once the topics exist): a packets topic with another
   * partition count than {@code packetsPartitions} (the job runs with one stage-one task per
   * partition, and NAT stitching needs every flow key of a conversation on one), a nodes topic that
   * is not compacted (inventories would expire with retention).
   *
   * @throws IllegalStateException when the topics cannot be described within {@code timeoutMs}
   */
  public static List<String> mismatches(
      Admin admin, Topics topics, int packetsPartitions, long timeoutMs) {
    List<String> out = new ArrayList<>();
    try {
      Map<String, TopicDescription> described =
          admin
              .describeTopics(List.of(topics.packets()))
              .allTopicNames()
              .get(timeoutMs, TimeUnit.MILLISECONDS);
      TopicDescription packets = described.get(topics.packets());
      if (packets != null && packets.partitions().size() != packetsPartitions) {
        out.add(
            "topic "
                + topics.packets()
                + " has "
                + packets.partitions().size()
                + " partitions, not the "
                + packetsPartitions
                + " expected: the job runs with "
                + packets.partitions().size()
                + " stage-one tasks, and conversations whose flow keys land on different"
                + " partitions (NAT) are not stitched; recreate the topic with "
                + packetsPartitions
                + " or give --packets-partitions "
                + packets.partitions().size());
      }
      ConfigResource nodes = new ConfigResource(ConfigResource.Type.TOPIC, topics.nodes());
      Config config =
          admin
              .describeConfigs(List.of(nodes))
              .all()
              .get(timeoutMs, TimeUnit.MILLISECONDS)
              .get(nodes);
      ConfigEntry policy = config == null ? null : config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
      if (policy != null
          && policy.value() != null
          && !policy.value().contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
        out.add(
            "topic "
                + topics.nodes()
                + " is not compacted (cleanup.policy="
                + policy.value()
                + "): node inventories expire with its retention");
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot describe the topics "
              + topics.packets()
              + ", "
              + topics.nodes()
              + ": "
              + e.getCause(),
          e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "describing the topics " + topics.packets() + ", " + topics.nodes() + " timed out", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    return out;
  }
}
