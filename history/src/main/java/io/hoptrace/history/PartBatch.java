package io.hoptrace.history;

import io.hoptrace.schema.Alert;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.Incident;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * One batch of records on its way into the store: rows appended to in-memory DuckDB staging tables
 * (one per {@link Dataset}), then written as one Parquet file per dataset and hour partition under
 * a temporary name ({@link #writeTemp}), each forced to disk. Publishing (the renames) is the
 * caller's. Not thread-safe.
 */
final class PartBatch implements AutoCloseable {

  /** A written, durable temporary file and the name it gets when the batch is published. */
  record TempFile(Path temp, Path target) {}

  private final DuckDBConnection db;
  private final String prefix;
  private final Map<Dataset, DuckDBAppender> appenders = new EnumMap<>(Dataset.class);
  private int records;

  /** A batch in an in-memory DuckDB of its own. */
  PartBatch() throws SQLException {
    this(newDatabase(), "");
  }

  /**
   * A batch staged in tables named {@code prefix}{@code stage_…} of the database of {@code db}, a
   * connection of the batch's own (closed, its tables dropped, when the batch is).
   */
  PartBatch(DuckDBConnection db, String prefix) throws SQLException {
    this.db = db;
    this.prefix = prefix;
    try (Statement s = db.createStatement()) {
      s.execute(
          "CREATE TABLE "
              + stage(Dataset.FLOWS)
              + " ("
              + Dataset.FLOWS.stagingDdl()
              + ", "
              + Rows.HOP_LISTS_DDL
              + ")");
      for (Dataset d : List.of(Dataset.ALERTS, Dataset.INCIDENTS)) {
        s.execute("CREATE TABLE " + stage(d) + " (" + d.stagingDdl() + ")");
      }
    } catch (SQLException e) {
      db.close();
      throw e;
    }
  }

  /**
   * A new in-memory DuckDB with {@code threads} worker threads (0: its default, one per core) and
   * no extension downloads.
   */
  static DuckDBConnection newDatabase(int threads) throws SQLException {
    Connection c = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement s = c.createStatement()) {
      s.execute("SET autoinstall_known_extensions=false");
      if (threads > 0) {
        s.execute("SET threads=" + threads);
      }
    }
    return c.unwrap(DuckDBConnection.class);
  }

  private static DuckDBConnection newDatabase() throws SQLException {
    return newDatabase(0);
  }

  /** The staging table of a dataset; flow_updates and flow_hops rows come from the flows one. */
  private String stage(Dataset d) {
    return prefix
        + "stage_"
        + (d == Dataset.ALERTS || d == Dataset.INCIDENTS ? d : Dataset.FLOWS).dir();
  }

  /** The rows of a dataset, with date and hour. */
  private String source(Dataset d) {
    return switch (d) {
      case FLOWS -> "(SELECT * FROM " + stage(d) + " WHERE final)";
      case FLOW_UPDATES -> "(SELECT * FROM " + stage(d) + " WHERE NOT final)";
      case FLOW_HOPS -> "(" + Rows.hopsSelect(stage(d)) + ")";
      case ALERTS, INCIDENTS -> stage(d);
    };
  }

  private DuckDBAppender appender(Dataset d) throws SQLException {
    DuckDBAppender a = appenders.get(d);
    if (a == null) {
      a = db.createAppender(DuckDBConnection.DEFAULT_SCHEMA, stage(d));
      appenders.put(d, a);
    }
    return a;
  }

  void add(FlowRecord f) throws SQLException {
    Rows.flow(appender(Dataset.FLOWS), f);
    records++;
  }

  void add(Alert a) throws SQLException {
    Rows.alert(appender(Dataset.ALERTS), a);
    records++;
  }

  void add(Incident i) throws SQLException {
    Rows.incident(appender(Dataset.INCIDENTS), i);
    records++;
  }

  /** Records added since the last {@link #clear}. */
  int records() {
    return records;
  }

  /** The longest span (last_seen - first_seen, ns) of the staged flow records; 0 if none. */
  long maxFlowSpanNanos() throws SQLException {
    closeAppenders();
    try (Statement s = db.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT coalesce(max(epoch_ns(last_seen) - epoch_ns(first_seen)), 0) FROM "
                    + stage(Dataset.FLOWS))) {
      r.next();
      return r.getLong(1);
    }
  }

  /**
   * Writes every staged row as Parquet, one temporary file per dataset and hour (rows in the
   * dataset's {@link Dataset#sortOrder}, row groups of {@link Dataset#ROW_GROUP_ROWS}), each
   * fsynced (their directories are created as needed). Nothing is visible to the views yet.
   */
  List<TempFile> writeTemp(StoreLayout layout) throws SQLException, IOException {
    closeAppenders();
    List<TempFile> out = new ArrayList<>();
    for (Dataset d : Dataset.values()) {
      for (long hour : hours(d)) {
        Path dir = layout.partition(d, hour);
        Files.createDirectories(dir);
        Path target = dir.resolve(StoreLayout.newPartName());
        Path temp = dir.resolve(target.getFileName() + StoreLayout.TMP_SUFFIX);
        copy(
            d,
            " WHERE date = DATE '"
                + java.time.LocalDate.ofEpochDay(Math.floorDiv(hour, 24))
                + "' AND hour = "
                + Math.floorMod(hour, 24),
            temp);
        StoreLayout.fsync(temp);
        out.add(new TempFile(temp, target));
      }
    }
    return out;
  }

  /**
   * Writes every staged row of one dataset, whatever its hour, as one Parquet file (as {@link
   * #writeTemp} writes each of its files; not forced to disk).
   */
  void writeAll(Dataset d, Path file) throws SQLException {
    closeAppenders();
    copy(d, "", file);
  }

  /** {@code COPY} of a dataset's staged rows matching {@code where} (SQL, may be empty). */
  private void copy(Dataset d, String where, Path file) throws SQLException {
    String columns =
        d == Dataset.FLOW_HOPS
            ? d.columns().stream().map(c -> c.name()).collect(Collectors.joining(", "))
            : d.selectFromStaging();
    try (Statement s = db.createStatement()) {
      s.execute(
          "COPY (SELECT "
              + columns
              + " FROM "
              + source(d)
              + where
              + (d.sortOrder().isEmpty() ? "" : " ORDER BY " + d.sortOrder())
              + ") TO '"
              + file.toString().replace("'", "''")
              + "' (FORMAT parquet, ROW_GROUP_SIZE "
              + Dataset.ROW_GROUP_ROWS
              + ")");
    }
  }

  private List<Long> hours(Dataset d) throws SQLException {
    List<Long> out = new ArrayList<>();
    try (Statement s = db.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT DISTINCT (date - DATE '1970-01-01')::BIGINT * 24 + hour FROM "
                    + source(d)
                    + " ORDER BY 1")) {
      while (r.next()) {
        out.add(r.getLong(1));
      }
    }
    return out;
  }

  /** Empties the staging tables. */
  void clear() throws SQLException {
    closeAppenders();
    try (Statement s = db.createStatement()) {
      for (Dataset d : List.of(Dataset.FLOWS, Dataset.ALERTS, Dataset.INCIDENTS)) {
        s.execute("DELETE FROM " + stage(d));
      }
    }
    records = 0;
  }

  private void closeAppenders() throws SQLException {
    for (DuckDBAppender a : appenders.values()) {
      a.close();
    }
    appenders.clear();
  }

  @Override
  public void close() throws SQLException {
    try {
      closeAppenders();
      if (!prefix.isEmpty()) {
        try (Statement s = db.createStatement()) {
          for (Dataset d : List.of(Dataset.FLOWS, Dataset.ALERTS, Dataset.INCIDENTS)) {
            s.execute("DROP TABLE IF EXISTS " + stage(d));
          }
        }
      }
    } finally {
      db.close();
    }
  }
}
