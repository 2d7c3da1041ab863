package io.hoptrace.cli;

import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.flink.FlinkBenchEngine;
import io.hoptrace.flink.FlinkHost;
import io.hoptrace.pipeline.DetectionHost;
import io.hoptrace.pipeline.PipelineConfig;
import io.hoptrace.pipeline.bench.BenchEngine;
import io.hoptrace.pipeline.bench.StreamsBenchEngine;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code --engine streams|flink} and {@code --parallelism N}: which engine hosts the detection job
 * of a replay on the embedded broker.
 */
final class EngineOptions {
  /** The detection engines. */
  enum Engine {
    streams,
    flink
  }

  @Option(
      names = "--engine",
      paramLabel = "ENGINE",
      defaultValue = "streams",
      description =
          "Detection engine: streams (Kafka Streams, the default) or flink (Apache Flink on a"
              + " local MiniCluster in this JVM); the same alerts either way.")
  Engine engine = Engine.streams;

  @Option(
      names = "--parallelism",
      paramLabel = "N",
      description = "Parallelism of the Flink job (--engine flink; default: 1).")
  Integer parallelism;

  @Mixin StateBackendOption state;

  boolean flink() {
    return engine == Engine.flink;
  }

  private int parallelism() {
    return parallelism == null ? 1 : parallelism;
  }

  /**
   * Checks the engine's options against the pipeline's.
   *
   * @param threadsGiven whether {@code --threads} was given
   * @throws IllegalArgumentException naming the option that does not apply
   */
  void check(boolean threadsGiven) {
    if (parallelism != null && !flink()) {
      throw new IllegalArgumentException(
          "--parallelism applies to --engine flink (Kafka Streams scales with --threads)");
    }
    if (parallelism != null && parallelism < 1) {
      throw new IllegalArgumentException("--parallelism " + parallelism + ": must be >= 1");
    }
    if (state.given() && !flink()) {
      throw new IllegalArgumentException(
          "--state-backend applies to --engine flink (Kafka Streams keeps its state in RocksDB)");
    }
    if (flink()) {
      state.kind().checkAvailable();
    }
    if (threadsGiven && flink()) {
      throw new IllegalArgumentException(
          "--threads applies to --engine streams (Flink scales with --parallelism)");
    }
  }

  /** The Flink host on the embedded broker: packets partitions from {@code pipeline}. */
  DetectionHost startFlink(DetectionConfig detection, PipelineConfig pipeline) {
    return FlinkHost.builder()
        .detection(detection)
        .packetsPartitions(pipeline.packetsPartitions())
        .parallelism(parallelism())
        .stateBackend(state.kind())
        .start();
  }

  /**
   * Throws when {@code option} was given with {@code --engine flink}: it belongs to the Kafka
   * Streams job only.
   */
  void streamsOnly(boolean given, String option) {
    if (given && flink()) {
      throw new IllegalArgumentException(
          option + ": applies to the Kafka Streams job only (not to --engine flink)");
    }
  }

  /** What {@code bench detect} measures: the engine's detection and pass-through jobs. */
  BenchEngine benchEngine(
      DetectionConfig detection, PipelineConfig pipeline, Map<String, String> streamsProperties) {
    return flink()
        ? new FlinkBenchEngine(detection, pipeline.packetsPartitions(), parallelism(), state.kind())
        : new StreamsBenchEngine(detection, pipeline, streamsProperties);
  }

  /** What the run says about where the job runs. */
  String describe(PipelineConfig pipeline) {
    return flink()
        ? "Flink job (parallelism "
            + parallelism()
            + ", packets at "
            + pipeline.packetsPartitions()
            + " partition(s), "
            + state.kind()
            + " state)"
        : "Kafka Streams job";
  }
}
