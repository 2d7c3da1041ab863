package io.hoptrace.cli;

import io.hoptrace.history.StoreConfig;
import io.hoptrace.history.StoreWriter;
import io.hoptrace.pipeline.DetectionHost;
import io.hoptrace.schema.KafkaClientSettings;
import io.hoptrace.schema.Topics;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Option;

/**
 * {@code --store DIR} and {@code --retention-days N}: the historical flow store written next to the
 * detection job ({@link StoreWriter}, settings in {@link StoreConfig}), shared by {@code demo} and
 * {@code analyze}.
 */
final class StoreOptions {
  @Option(
      names = "--store",
      paramLabel = "DIR",
      description =
          "Also write the job's flows and alerts to this flow store (Parquet, one directory per"
              + " dataset and hour; created if missing) for `hoptrace query` and `hoptrace flows`.")
  Path store;

  @Option(
      names = "--retention-days",
      paramLabel = "N",
      description =
          "With --store: remove hour partitions that ended more than N days ago (wall clock);"
              + " 0 keeps everything (default: 0).")
  Integer retentionDays;

  /**
   * Checks every value without touching anything (commands call it before their side effects).
   *
   * @throws IllegalArgumentException naming the option when a value is invalid
   */
  StoreConfig config() {
    Map<String, Object> m = new LinkedHashMap<>();
    if (retentionDays != null) {
      if (store == null) {
        throw new IllegalArgumentException("--retention-days: needs --store DIR");
      }
      m.put(StoreConfig.RETENTION_DAYS, retentionDays);
    }
    if (store != null && Files.exists(store) && !Files.isDirectory(store)) {
      throw new IllegalArgumentException("--store " + store + ": not a directory");
    }
    try {
      return new StoreConfig(m);
    } catch (ConfigException e) {
      throw new IllegalArgumentException("--retention-days " + retentionDays + ": must be >= 0", e);
    }
  }

  /**
   * Starts the store writer on the pipeline's flows and alerts topics, or nothing without {@code
   * --store}; the returned handle drains and closes it and reports on {@code err}.
   */
  Writer start(DetectionHost p, String command, PrintWriter err) throws java.io.IOException {
    return start(p.kafkaClients(), p.topics(), command, err);
  }

  /** As {@link #start(DetectionHost, String, PrintWriter)} for any Kafka and topics. */
  Writer start(KafkaClientSettings kafka, Topics topics, String command, PrintWriter err)
      throws java.io.IOException {
    StoreConfig config = config();
    if (store == null) {
      return new Writer(null, command, err);
    }
    StoreWriter w = StoreWriter.start(store, kafka, topics, config);
    err.println("hoptrace " + command + ": writing flows and alerts to the store " + w.store());
    err.flush();
    return new Writer(w, command, err);
  }

  /** A running store writer (or none), closed before the pipeline is. */
  record Writer(StoreWriter writer, String command, PrintWriter err) implements AutoCloseable {
    @Override
    public void close() {
      if (writer == null) {
        return;
      }
      writer.close();
      err.println(
          "hoptrace "
              + command
              + ": store "
              + writer.store()
              + ": "
              + writer.written()
              + " record(s) in "
              + writer.files()
              + " file(s)"
              + (writer.undecodable() > 0 ? ", " + writer.undecodable() + " undecodable" : ""));
      err.flush();
    }
  }
}
