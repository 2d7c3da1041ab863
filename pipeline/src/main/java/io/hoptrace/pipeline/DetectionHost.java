package io.hoptrace.pipeline;

import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.detect.DetectionStats;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.Incident;
import io.hoptrace.schema.KafkaClientSettings;
import io.hoptrace.schema.NodeInventory;
import io.hoptrace.schema.Topics;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * A detection job and the ways into and out of it, whatever engine hosts the detection core: what a
 * replay ({@link io.hoptrace.replay.Replay}), {@code analyze}, {@code demo} and the benchmarks
 * need. The Kafka Streams job on an embedded or existing Kafka implements it ({@link
 * EmbeddedPipeline}); a Flink job is to implement it the same way.
 *
 * <p>Order of use: {@link #start()}, {@link #publishInventory}, packets through {@link
 * #newPacketSink()}, {@link #endOfInput}, then {@link #readAlerts()} / {@link #readFlows()} hold
 * everything the input caused; {@link #close()}.
 */
public interface DetectionHost extends AutoCloseable {
  /**
   * The detection settings of the job (publishers that link NAT tuples themselves, like a replay,
   * need its link window).
   */
  default DetectionConfig detectionConfig() {
    return DetectionConfig.defaults();
  }

  /** Starts the job (no-op when it runs) and waits until it processes input. */
  void start();

  /**
   * Publishes node inventories and, when the job runs, waits until it uses them (no packet
   * published afterwards is processed with an older inventory).
   */
  void publishInventory(List<NodeInventory> inventories, Duration timeout);

  /** A new sink for packet summaries (the caller closes it). */
  PacketSink newPacketSink();

  /**
   * Ends the input (the end-of-input marker: every open conversation and alert is flushed) and
   * waits until the job has processed and committed everything published so far.
   *
   * @throws IllegalStateException when not drained within {@code timeout} or the job failed
   */
  void endOfInput(Duration timeout);

  /** Every alert record committed so far, in output order (FIRING, updates, RESOLVED). */
  List<Alert> readAlerts();

  /**
   * Every incident record committed so far, in output order (a host without the incidents stage:
   * none).
   */
  default List<Incident> readIncidents() {
    return List.of();
  }

  /**
   * Calls {@code onIncident} for every incident record, from the first, as the job commits them, on
   * a thread of its own, until the returned watch is closed (a host without the incidents stage:
   * never).
   */
  default Watch watchIncidents(Consumer<Incident> onIncident) {
    return () -> {};
  }

  /** The Kafka bootstrap servers of the job's topics ("" for a host without Kafka). */
  default String bootstrapServers() {
    return "";
  }

  /**
   * How clients reach the job's Kafka: its bootstrap servers and connection settings (a host
   * without Kafka: none; do not call).
   */
  default KafkaClientSettings kafkaClients() {
    return KafkaClientSettings.plain(bootstrapServers());
  }

  /**
   * The job's Kafka topics (a host without Kafka: none; do not call). With {@link #kafkaClients()}
   * what any reader of the job's outputs needs, whichever engine writes them (the flow store's
   * writer, {@code serve}).
   */
  default Topics topics() {
    throw new IllegalStateException(getClass().getSimpleName() + " has no Kafka topics");
  }

  /** Every flow record committed so far (interim and final), in output order. */
  List<FlowRecord> readFlows();

  /**
   * Calls {@code onAlert} for every alert record, from the first, as the job commits them, on a
   * thread of its own, until the returned watch is closed.
   */
  Watch watchAlerts(Consumer<Alert> onAlert);

  /**
   * Calls {@code onFlow} for every flow record, from the first, as the job commits them, on a
   * thread of its own, until the returned watch is closed (a host that cannot: never).
   */
  default Watch watchFlows(Consumer<FlowRecord> onFlow) {
    return () -> {};
  }

  /**
   * Where the job's detection cores publish their counters (for metrics); a host whose cores
   * publish nowhere: an empty one.
   */
  default DetectionStats detectionStats() {
    return new DetectionStats();
  }

  /** Stops the job and releases everything the host started. Idempotent. */
  @Override
  void close();

  /** A running {@link #watchAlerts} subscription. */
  interface Watch extends AutoCloseable {
    /** Stops the watching thread (waits a few seconds for it). */
    @Override
    void close();
  }
}
