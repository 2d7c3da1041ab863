package io.hoptrace.cli;

import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.flink.FlinkHost;
import io.hoptrace.pipeline.DetectionHost;
import io.hoptrace.pipeline.PipelineConfig;
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

  boolean flink() {
    return engine == Engine.flink;
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
        .parallelism(parallelism == null ? 1 : parallelism)
        .start();
  }

  /** What the run says about where the job runs. */
  String describe(PipelineConfig pipeline) {
    return flink()
        ? "Flink job (parallelism "
            + (parallelism == null ? 1 : parallelism)
            + ", packets at "
            + pipeline.packetsPartitions()
            + " partition(s))"
        : "Kafka Streams job";
  }
}
