package io.hoptrace.history;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * How the store writer batches and keeps files, each setting declared once below with key, default,
 * doc and validation: a batch becomes files after {@value #BATCH_RECORDS_DEFAULT} records or
 * {@value #BATCH_SECONDS_DEFAULT} s, whichever comes first; hour partitions older than the
 * retention are removed whole (0 keeps everything).
 */
public final class StoreConfig extends AbstractConfig {

  public static final String BATCH_RECORDS = "store.batch.records";
  public static final String BATCH_SECONDS = "store.batch.seconds";
  public static final String RETENTION_DAYS = "store.retention.days";

  static final int BATCH_RECORDS_DEFAULT = 50_000;
  static final double BATCH_SECONDS_DEFAULT = 10.0;

  private static final ConfigDef DEFINITION =
      new ConfigDef()
          .define(
              BATCH_RECORDS,
              Type.INT,
              BATCH_RECORDS_DEFAULT,
              Range.atLeast(1),
              Importance.MEDIUM,
              "Flow and alert records per batch: a batch is written as one Parquet file per"
                  + " dataset and hour partition once it holds this many records.")
          .define(
              BATCH_SECONDS,
              Type.DOUBLE,
              BATCH_SECONDS_DEFAULT,
              Range.between(0.01, 3600.0),
              Importance.MEDIUM,
              "Longest time a record waits in a batch before the batch is written (seconds): how"
                  + " far the store may lag the topics.")
          .define(
              RETENTION_DAYS,
              Type.INT,
              0,
              Range.atLeast(0),
              Importance.MEDIUM,
              "Hour partitions whose hour ended more than this many days ago (wall clock) are"
                  + " removed whole; 0 keeps everything.");

  /**
   * Parses and validates the settings (missing ones get their default).
   *
   * @throws org.apache.kafka.common.config.ConfigException naming the setting when a value is
   *     invalid
   */
  public StoreConfig(Map<String, ?> settings) {
    super(DEFINITION, settings);
  }

  /** All defaults. */
  public static StoreConfig defaults() {
    return new StoreConfig(Map.of());
  }

  /** The definition (keys, defaults, docs, validators). */
  public static ConfigDef definition() {
    return new ConfigDef(DEFINITION);
  }

  public int batchRecords() {
    return getInt(BATCH_RECORDS);
  }

  public long batchNanos() {
    return (long) (getDouble(BATCH_SECONDS) * 1e9);
  }

  public int retentionDays() {
    return getInt(RETENTION_DAYS);
  }
}
