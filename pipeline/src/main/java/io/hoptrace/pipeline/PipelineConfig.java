package io.hoptrace.pipeline;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * How the pipeline scales on one machine, each setting declared once below with key, default, doc
 * and validation: the partitions of the {@code packets} topic it creates and the stream threads of
 * the Kafka Streams job. Defaults keep one of each (NAT stitching needs every flow key of a
 * conversation on one task until the linking stage lands; see {@link DetectionTopics}).
 */
public final class PipelineConfig extends AbstractConfig {

  public static final String PACKETS_PARTITIONS = "packets.partitions";
  public static final String STREAM_THREADS = "stream.threads";

  /**
   * Default partitions of {@code packets} when {@code run} creates it on an external Kafka: 1 today
   * (NAT stitching), meant to become 12 once NAT linking works across partitions. A compile-time
   * constant: the {@code run} command's option default is built from it.
   */
  public static final int RUN_DEFAULT_PACKETS_PARTITIONS =
      DetectionTopics.DEFAULT_PACKETS_PARTITIONS;

  private static final ConfigDef DEFINITION =
      new ConfigDef()
          .define(
              PACKETS_PARTITIONS,
              Type.INT,
              DetectionTopics.DEFAULT_PACKETS_PARTITIONS,
              Range.atLeast(1),
              Importance.MEDIUM,
              "Partitions of the packets topic when the pipeline creates it (NAT stitching needs"
                  + " every flow key of a conversation on one partition until the linking stage"
                  + " lands).")
          .define(
              STREAM_THREADS,
              Type.INT,
              1,
              Range.atLeast(1),
              Importance.MEDIUM,
              "Stream threads of the Kafka Streams detection job (num.stream.threads).");

  /**
   * Parses and validates the settings (missing ones get their default).
   *
   * @throws org.apache.kafka.common.config.ConfigException naming the setting when a value is
   *     invalid
   */
  public PipelineConfig(Map<String, ?> settings) {
    super(DEFINITION, settings);
  }

  /** All defaults. */
  public static PipelineConfig defaults() {
    return new PipelineConfig(Map.of());
  }

  /** The definition (keys, defaults, docs, validators). */
  public static ConfigDef definition() {
    return new ConfigDef(DEFINITION);
  }

  public int packetsPartitions() {
    return getInt(PACKETS_PARTITIONS);
  }

  public int streamThreads() {
    return getInt(STREAM_THREADS);
  }
}
