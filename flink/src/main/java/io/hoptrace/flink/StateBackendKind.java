package io.hoptrace.flink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;

/** Where the job keeps its keyed state (conversations, aliases, alerts, incidents). */
public enum StateBackendKind {
  /** Objects on the JVM heap (Flink's {@code hashmap} backend): the default for embedded runs. */
  heap("hashmap"),
  /**
   * RocksDB on local disk ({@code rocksdb}), checkpointed incrementally (only the files that
   * changed since the last checkpoint are written): state larger than memory, cheap checkpoints.
   */
  rocksdb("rocksdb");

  private final String flinkName;

  StateBackendKind(String flinkName) {
    this.flinkName = flinkName;
  }

  /** Flink's name of the backend ({@code state.backend.type}). */
  public String flinkName() {
    return flinkName;
  }

  /**
   * Sets the backend in {@code c}, for RocksDB with incremental checkpoints.
   *
   * @throws IllegalArgumentException for RocksDB when Flink's RocksDB is not the one on the class
   *     path ({@link #checkAvailable()})
   */
  public Configuration configure(Configuration c) {
    checkAvailable();
    c.set(StateBackendOptions.STATE_BACKEND, flinkName);
    if (this == rocksdb) {
      c.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
    }
    return c;
  }

  /**
   * {@link #configure(Configuration)}, checkpoints written under {@code checkpointDir} unless null
   * (incremental checkpoints are files: they need a directory).
   */
  public Configuration configure(Configuration c, Path checkpointDir) {
    configure(c);
    if (checkpointDir != null) {
      c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir.toUri().toString());
    }
    return c;
  }

  /**
   * Checks that this backend can run in this JVM. RocksDB: Flink runs on its own fork ({@code
   * com.ververica:frocksdbjni}, with the TTL compaction filter), Kafka Streams on {@code
   * org.rocksdb:rocksdbjni}; both define the {@code org.rocksdb} classes and the first on the class
   * path wins. Only a class path without Kafka Streams' (a Flink cluster, or {@code ./hoptrace} for
   * a Flink-only command) runs the Flink job on RocksDB.
   *
   * @throws IllegalArgumentException naming the option when it cannot
   */
  public void checkAvailable() {
    if (this != rocksdb) {
      return;
    }
    String where;
    try {
      Class<?> filter = Class.forName("org.rocksdb.FlinkCompactionFilter");
      Class<?> db = Class.forName("org.rocksdb.RocksDB");
      where = String.valueOf(db.getProtectionDomain().getCodeSource());
      if (where.equals(String.valueOf(filter.getProtectionDomain().getCodeSource()))) {
        return;
      }
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException(
          "--state-backend rocksdb: Flink's RocksDB state backend is not on the class path", e);
    }
    throw new IllegalArgumentException(
        "--state-backend rocksdb: the class path has Kafka Streams' RocksDB ("
            + where
            + ") ahead of Flink's (frocksdbjni); run Flink-only commands through ./hoptrace, which"
            + " leaves Kafka Streams' out");
  }

  /**
   * A new temporary checkpoint directory for {@link #configure(Configuration, Path)} (the caller
   * deletes it, e.g. {@code FileUtils.deleteDirectoryQuietly}). Without one, checkpoints go to the
   * JobManager's memory, which takes at most 5 MB of state per operator: a job with many open
   * conversations would fail its checkpoints (and, without restarts, stop).
   */
  public static Path temporaryCheckpointDir() {
    try {
      return Files.createTempDirectory("hoptrace-flink-checkpoints");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a checkpoint directory: " + e.getMessage(), e);
    }
  }
}
