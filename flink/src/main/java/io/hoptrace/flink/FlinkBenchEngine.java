package io.hoptrace.flink;

import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.pipeline.DetectionHost;
import io.hoptrace.pipeline.bench.BenchEngine;
import java.util.Objects;

/**
 * Flink under {@code bench detect --engine flink}: the detection job of a {@link FlinkHost} on the
 * embedded broker, and {@link PassThroughJob} as its baseline, each at the same parallelism (one
 * slot per parallel instance on the local MiniCluster).
 */
public final class FlinkBenchEngine implements BenchEngine {
  /** Flink's task threads end in " (i/n)#attempt". */
  private static final String TASK_THREAD = ")#";

  private final DetectionConfig detection;
  private final int packetsPartitions;
  private final int parallelism;
  private final StateBackendKind stateBackend;

  public FlinkBenchEngine(
      DetectionConfig detection,
      int packetsPartitions,
      int parallelism,
      StateBackendKind stateBackend) {
    this.detection = Objects.requireNonNull(detection, "detection");
    if (packetsPartitions < 1 || parallelism < 1) {
      throw new IllegalArgumentException("partitions and parallelism must be >= 1");
    }
    this.packetsPartitions = packetsPartitions;
    this.parallelism = parallelism;
    this.stateBackend = Objects.requireNonNull(stateBackend, "stateBackend");
  }

  @Override
  public String on(double rate) {
    return String.format(
        "parallelism %d, %s state (%.0f summaries/s per slot)",
        parallelism, stateBackend, rate / parallelism);
  }

  private FlinkHost.Builder builder() {
    return FlinkHost.builder()
        .detection(detection)
        .packetsPartitions(packetsPartitions)
        .parallelism(parallelism)
        .stateBackend(stateBackend);
  }

  @Override
  public DetectionHost running() {
    return builder().start();
  }

  @Override
  public String threadMarker() {
    return TASK_THREAD;
  }

  @Override
  public Idle idle() {
    FlinkHost h = builder().startJob(false).start();
    DetectionGraph.Settings pass =
        new DetectionGraph.Settings(
            h.kafkaClients(), h.topics(), detection, FlinkHost.DEFAULT_JOB_ID + "-pass-through");
    return new Idle(
        h,
        h::sendFlush,
        h::awaitDrained,
        () -> PassThroughJob.start(pass, parallelism, FlinkHost.DEFAULT_CHECKPOINT_INTERVAL),
        out -> {});
  }
}
