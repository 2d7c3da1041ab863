package io.hoptrace.pipeline;

import io.hoptrace.schema.NodeInventory;
import io.hoptrace.streams.DetectionTopology;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * One running instance of the Kafka Streams detection job ({@link DetectionTopology}): started,
 * awaited until RUNNING, and closed. An uncaught error in a stream thread shuts the client down and
 * is kept in {@link #failure()} (no silent restart loop).
 */
public final class DetectionJob implements AutoCloseable {
  private final KafkaStreams streams;
  private final String applicationId;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean closed;

  public DetectionJob(DetectionTopology topology, Properties streamsConfig) {
    this(Objects.requireNonNull(topology, "topology").build(), streamsConfig);
  }

  /** Any topology with the job's handling (the benchmark's pass-through baseline). */
  public DetectionJob(org.apache.kafka.streams.Topology topology, Properties streamsConfig) {
    this.applicationId = streamsConfig.getProperty("application.id");
    this.streams = new KafkaStreams(topology, streamsConfig);
    streams.setUncaughtExceptionHandler(
        e -> {
          failure.compareAndSet(null, e);
          return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
  }

  /** Starts the job and waits until it is RUNNING (its first assignment done). */
  public DetectionJob start(Duration timeout) {
    streams.start();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (streams.state() != KafkaStreams.State.RUNNING) {
      checkHealthy();
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "detection job not running after " + timeout.toSeconds() + " s: " + streams.state());
      }
      sleep(20);
    }
    return this;
  }

  /** Throws when the job stopped because of an error. */
  public void checkHealthy() {
    Throwable t = failure.get();
    if (t != null) {
      throw new IllegalStateException("detection job failed: " + t, t);
    }
    KafkaStreams.State s = streams.state();
    if (!closed && (s == KafkaStreams.State.ERROR || s == KafkaStreams.State.NOT_RUNNING)) {
      throw new IllegalStateException("detection job stopped: " + s);
    }
  }

  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure.get());
  }

  public String applicationId() {
    return applicationId;
  }

  public KafkaStreams streams() {
    return streams;
  }

  /** The node's inventory as the job's global store holds it now (empty if not (yet) there). */
  public Optional<NodeInventory> inventory(String node) {
    try {
      ReadOnlyKeyValueStore<String, NodeInventory> store =
          streams.store(
              StoreQueryParameters.fromNameAndType(
                  DetectionTopology.NODES_STORE, QueryableStoreTypes.keyValueStore()));
      return Optional.ofNullable(store.get(node));
    } catch (InvalidStateStoreException e) {
      return Optional.empty();
    }
  }

  /** Stops the job: commits what was processed, closes stores. Idempotent. */
  public void close(Duration timeout) {
    closed = true;
    streams.close(timeout);
  }

  /**
   * Stops the job and leaves its consumer group at once (instead of staying a member until the
   * session times out), for a run whose group and topics are deleted right after.
   */
  public void closeLeavingGroup(Duration timeout) {
    closed = true;
    streams.close(
        org.apache.kafka.streams.CloseOptions.groupMembershipOperation(
                org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(timeout));
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
