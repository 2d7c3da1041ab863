package io.hoptrace.pipeline;

import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.embedded.EmbeddedKafka;
import io.hoptrace.schema.KafkaClientSettings;
import io.hoptrace.schema.TopicSettings;
import io.hoptrace.schema.Topics;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;

/**
 * What every {@link DetectionHost}'s builder takes (the Kafka Streams {@link EmbeddedPipeline} and
 * the Flink host): the topics, the detection settings, the packets topic's partitions when the host
 * creates it, an external Kafka instead of the in-process broker, and whether starting the host
 * starts the job; and the one way a host creates its topics.
 *
 * @param <B> the concrete builder (setters return it)
 */
public abstract class HostBuilder<B extends HostBuilder<B>> {
  private Topics topics = Topics.defaults();
  private DetectionConfig detection = DetectionConfig.defaults();
  private int packetsPartitions = DetectionTopics.DEFAULT_PACKETS_PARTITIONS;
  private boolean startJob = true;
  private KafkaClientSettings kafka;

  protected HostBuilder() {}

  /** This builder, as its concrete type. */
  protected abstract B self();

  public B topics(Topics t) {
    this.topics = Objects.requireNonNull(t);
    return self();
  }

  public B detection(DetectionConfig cfg) {
    this.detection = Objects.requireNonNull(cfg);
    return self();
  }

  /** Partitions of the packets topic when this host creates it. */
  public B packetsPartitions(int n) {
    this.packetsPartitions = TopicSettings.checkPacketsPartitions(n);
    return self();
  }

  /**
   * Whether starting the host also starts the job (default true); when false, the host's own {@code
   * start()} does (input can be loaded first).
   */
  public B startJob(boolean start) {
    this.startJob = start;
    return self();
  }

  /**
   * Uses the Kafka of {@code kafka} (bootstrap servers and connection settings) instead of the
   * in-process broker (topics made if missing).
   */
  protected void externalKafka(KafkaClientSettings kafka) {
    this.kafka = java.util.Objects.requireNonNull(kafka);
  }

  public Topics topics() {
    return topics;
  }

  public DetectionConfig detection() {
    return detection;
  }

  public int packetsPartitions() {
    return packetsPartitions;
  }

  public boolean startsJob() {
    return startJob;
  }

  /** The external Kafka's bootstrap servers, or null for the in-process broker. */
  public String bootstrapServers() {
    return kafka == null ? null : kafka.bootstrapServers();
  }

  /** How to reach the external Kafka, or null for the in-process broker. */
  public KafkaClientSettings kafka() {
    return kafka;
  }

  /**
   * Creates the detection's topics: on the in-process broker {@code kafka} (replication 1), or,
   * when it is null, on the external cluster through {@code admin} where missing (broker-default
   * replication; existing topics checked).
   */
  protected void createTopics(EmbeddedKafka kafka, Admin admin) {
    if (kafka != null) {
      kafka.createTopics(
          DetectionTopics.newTopics(topics, packetsPartitions, Optional.of((short) 1)));
    } else {
      DetectionTopics.ensure(admin, topics, packetsPartitions, Optional.empty());
    }
  }
}
