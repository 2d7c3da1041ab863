package io.hoptrace.history;

import io.hoptrace.schema.Alert;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.Incident;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;
import org.duckdb.DuckDBConnection;

/**
 * One Parquet file of one {@link Dataset}, written exactly as the store writer writes its files
 * (the same columns and types, row order and row groups; the same staging through DuckDB), for
 * writers that place files themselves: the Flink job's {@code FileSink}, which buckets the records
 * by dataset and hour and commits its part files on checkpoints. The caller adds only records of
 * one hour partition, as {@link StoreLayout} names them; no partition is checked here. Rows a
 * record does not give this dataset are left out: an interim flow record in {@link Dataset#FLOWS},
 * a final one in {@link Dataset#FLOW_UPDATES}. Not thread-safe; an in-memory DuckDB of its own, on
 * one thread.
 */
public final class DatasetFile implements AutoCloseable {
  private final Dataset dataset;
  private final PartBatch batch;

  /**
   * The in-memory DuckDB every file of this JVM is staged in (one thread of its own; starting a
   * database took 100–150 ms here, a connection and its tables a few ms), opened on first use.
   */
  private static DuckDBConnection shared;

  private static final AtomicLong FILES = new AtomicLong();

  /** A new, empty file of {@code dataset}. */
  public DatasetFile(Dataset dataset) {
    this.dataset = dataset;
    try {
      this.batch = new PartBatch(connection(), "f" + FILES.incrementAndGet() + "_");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot start DuckDB: " + QueryException.firstLine(e), e);
    }
  }

  private static synchronized DuckDBConnection connection() throws SQLException {
    if (shared == null) {
      shared = PartBatch.newDatabase(1);
    }
    return (DuckDBConnection) shared.duplicate();
  }

  public Dataset dataset() {
    return dataset;
  }

  /** Adds a flow record (to {@code flows}, {@code flow_updates} or {@code flow_hops}). */
  public void add(FlowRecord f) throws SQLException {
    require(
        dataset == Dataset.FLOWS || dataset == Dataset.FLOW_UPDATES || dataset == Dataset.FLOW_HOPS,
        "flow record");
    batch.add(f);
  }

  public void add(Alert a) throws SQLException {
    require(dataset == Dataset.ALERTS, "alert");
    batch.add(a);
  }

  public void add(Incident i) throws SQLException {
    require(dataset == Dataset.INCIDENTS, "incident");
    batch.add(i);
  }

  private void require(boolean fits, String what) {
    if (!fits) {
      throw new IllegalArgumentException("a " + what + " has no rows in " + dataset.dir());
    }
  }

  /** Records added. */
  public int records() {
    return batch.records();
  }

  /** Writes the rows as one Parquet file at {@code file} (replaced if it exists). */
  public void write(Path file) throws SQLException {
    batch.writeAll(dataset, file);
  }

  @Override
  public void close() throws SQLException {
    batch.close();
  }
}
