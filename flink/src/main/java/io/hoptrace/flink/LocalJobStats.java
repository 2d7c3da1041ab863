package io.hoptrace.flink;

import io.hoptrace.detect.DetectionStats;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The detection cores' counters of the Flink jobs running in this JVM, by job id: what stage 1's
 * subtasks publish ({@link FlowStage}) and the CLI's {@code --metrics-port} reads ({@code
 * JobMetrics}), the object the Kafka Streams host hands its tasks.
 *
 * <p>Why a JVM-wide table rather than Flink's metric groups: the CLI runs Flink on a MiniCluster in
 * its own JVM, and one Micrometer registry then serves the same metric names for either engine (the
 * Grafana dashboards and the Prometheus rules query those names); Flink's metric groups would reach
 * Prometheus through Flink's reporter under Flink's scoped names, with a reporter to configure and
 * bridge. The price: a job submitted to a Flink cluster ({@code DetectionJobMain}) publishes into
 * the task manager's table, which nobody serves there.
 */
public final class LocalJobStats {
  private static final ConcurrentHashMap<String, DetectionStats> BY_JOB = new ConcurrentHashMap<>();

  private LocalJobStats() {}

  /** The counters of job {@code jobId} (created empty). */
  public static DetectionStats of(String jobId) {
    return BY_JOB.computeIfAbsent(jobId, k -> new DetectionStats());
  }

  /** Job {@code jobId} is gone: forgets its counters. */
  static void forget(String jobId) {
    BY_JOB.remove(jobId);
  }
}
