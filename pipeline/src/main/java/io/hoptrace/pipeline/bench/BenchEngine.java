package io.hoptrace.pipeline.bench;

import io.hoptrace.pipeline.DetectionHost;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The engine {@link DetectBench} measures: its detection host, its pass-through job and how to tell
 * when either has drained a pre-loaded packets topic. One per engine (Kafka Streams: {@link
 * StreamsBenchEngine}; Flink: in the Flink module); the workload, the timing and the result lines
 * are {@link DetectBench}'s, the same for every engine.
 */
public interface BenchEngine {

  /**
   * Where the timed job runs, ending the result line "N summaries/s on ..." (e.g. "one stream
   * thread"); {@code rate} is the job's summaries/s (an engine with slots adds the rate per slot).
   */
  String on(double rate);

  /** What the names of the job's processing threads in this JVM contain (for their CPU time). */
  String threadMarker();

  /**
   * A fresh broker with the detection job's topics and no job running yet: the packets are
   * pre-loaded through {@link Idle#host()} before the clock starts; {@link DetectionHost#start()}
   * then starts the detection job.
   */
  Idle idle();

  /** A host whose detection job runs (for the latency run). */
  DetectionHost running();

  /**
   * A host whose job is not started yet.
   *
   * @param host inventory and packets in; {@code start()} starts the detection job
   * @param sendFlush sends the end-of-input marker to every packets partition
   * @param awaitDrained waits until the detection job has committed everything, marker included
   * @param passThrough starts the pass-through job on the host's broker instead of the detection
   *     job
   * @param report prints the engine's own figures after the detection job drained
   */
  record Idle(
      DetectionHost host,
      Runnable sendFlush,
      Consumer<Duration> awaitDrained,
      Supplier<PassThrough> passThrough,
      Consumer<PrintWriter> report) {}

  /** A running pass-through job: reads the packets topic and only counts. */
  interface PassThrough {
    /**
     * Waits until the job has read (and committed) everything, the end-of-input marker included.
     */
    void awaitDrained(Duration timeout);

    /** Stops the job; returns how many summaries it counted. */
    long close();
  }
}
