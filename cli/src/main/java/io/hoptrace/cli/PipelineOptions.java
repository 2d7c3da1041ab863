package io.hoptrace.cli;

import io.hoptrace.pipeline.PipelineConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Option;

/**
 * {@code --partitions N} and {@code --threads N}: how the embedded pipeline scales ({@link
 * PipelineConfig}, where the settings, defaults and validation are declared), shared by {@code
 * analyze}, {@code demo} and {@code bench detect}.
 */
final class PipelineOptions {

  @Option(
      names = "--partitions",
      paramLabel = "N",
      description =
          "Partitions of the packets topic in the embedded pipeline (default: 1). The replay"
              + " publishes every tuple of a NAT-ed conversation under one key, so NAT-ed"
              + " conversations are stitched at any partition count.")
  Integer partitions;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Stream threads of the Kafka Streams job, num.stream.threads (default: 1).")
  Integer threads;

  /**
   * The settings, validated.
   *
   * @throws IllegalArgumentException naming the option when a value is invalid
   */
  PipelineConfig config() {
    Map<String, Object> m = new LinkedHashMap<>();
    if (partitions != null) {
      m.put(
          PipelineConfig.PACKETS_PARTITIONS,
          check(PipelineConfig.PACKETS_PARTITIONS, partitions, "--partitions"));
    }
    if (threads != null) {
      m.put(
          PipelineConfig.STREAM_THREADS,
          check(PipelineConfig.STREAM_THREADS, threads, "--threads"));
    }
    return new PipelineConfig(m);
  }

  /**
   * {@code value} when {@link PipelineConfig} accepts it for {@code key}.
   *
   * @throws IllegalArgumentException naming {@code option} otherwise
   */
  static int check(String key, int value, String option) {
    try {
      new PipelineConfig(Map.of(key, value));
    } catch (ConfigException e) {
      throw new IllegalArgumentException(option + " " + value + ": must be >= 1", e);
    }
    return value;
  }
}
