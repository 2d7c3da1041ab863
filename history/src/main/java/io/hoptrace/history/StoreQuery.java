package io.hoptrace.history;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * SQL over a store: an in-memory DuckDB with views over the store's Parquet files (read with {@code
 * hive_partitioning}, so {@code date} and {@code hour} filters skip whole partitions).
 *
 * <ul>
 *   <li>{@code flow_records}, {@code alert_records}, {@code flow_hop_records}: every record as
 *       written (a conversation's interim updates and its final record; an alert's FIRING, updates
 *       and RESOLVED).
 *   <li>{@code flows}: one row per conversation — its final record, or while it is still open its
 *       newest update — with the lost-at segment of the newest alert about it ({@code lost_after},
 *       {@code lost_before}, {@code lost_direction}, {@code alert_types}).
 *   <li>{@code alerts}: one row per alert id, as it last stood (newest record; RESOLVED wins a
 *       tie).
 *   <li>{@code flow_hops}: the per-hop, per-direction rows of the records in {@code flows}.
 * </ul>
 *
 * The writer never writes a record twice (see {@link StoreWriter}), so the views pick versions,
 * they do not remove duplicates. A dataset without files yet gives an empty view of the same
 * columns. Not thread-safe.
 */
public final class StoreQuery implements AutoCloseable {
  private final StoreLayout layout;
  private final Connection db;

  private StoreQuery(StoreLayout layout, Connection db) {
    this.layout = layout;
    this.db = db;
  }

  /**
   * Opens the store in {@code dir}.
   *
   * @throws IllegalArgumentException naming the directory when it does not exist
   */
  public static StoreQuery open(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("store " + dir + ": no such directory");
    }
    StoreLayout layout = new StoreLayout(dir);
    try {
      Connection db = DriverManager.getConnection("jdbc:duckdb:");
      StoreQuery q = new StoreQuery(layout, db);
      q.createViews();
      return q;
    } catch (SQLException e) {
      throw new IllegalStateException("store " + dir + ": " + QueryException.firstLine(e), e);
    }
  }

  private void createViews() throws SQLException {
    try (Statement s = db.createStatement()) {
      s.execute("SET autoinstall_known_extensions=false");
      s.execute("SET autoload_known_extensions=false");
      for (Dataset d : Dataset.values()) {
        s.execute("CREATE VIEW " + raw(d) + " AS " + source(d));
      }
      s.execute(
          "CREATE VIEW flows AS WITH lost AS (SELECT conversation_id,"
              + " arg_max({'after': lost_after, 'before': lost_before, 'direction':"
              + " lost_direction}, last_seen) AS l, list(DISTINCT type ORDER BY type) AS"
              + " alert_types FROM alert_records WHERE conversation_id IS NOT NULL GROUP BY"
              + " conversation_id), latest AS (SELECT * FROM flow_records WHERE final UNION ALL"
              + " BY NAME (SELECT * FROM flow_records u WHERE NOT final AND NOT EXISTS (SELECT 1"
              + " FROM flow_records f WHERE f.final AND f.conversation_id = u.conversation_id"
              + " AND f.date = u.date AND f.hour = u.hour) QUALIFY row_number() OVER (PARTITION"
              + " BY conversation_id ORDER BY last_seen DESC) = 1)) SELECT latest.*, l.after AS"
              + " lost_after, l.before AS lost_before, l.direction AS lost_direction, alert_types"
              + " FROM latest LEFT JOIN lost USING (conversation_id)");
      s.execute(
          "CREATE VIEW alerts AS SELECT * FROM alert_records QUALIFY row_number() OVER"
              + " (PARTITION BY id ORDER BY last_seen DESC, status = 'RESOLVED' DESC, count DESC)"
              + " = 1");
      s.execute(
          "CREATE VIEW flow_hops AS SELECT h.* FROM flow_hop_records h SEMI JOIN (SELECT"
              + " conversation_id, last_seen, final, date, hour FROM flows) f ON"
              + " h.conversation_id = f.conversation_id AND h.last_seen = f.last_seen AND h.final"
              + " = f.final AND h.date = f.date AND h.hour = f.hour");
    }
  }

  /** The raw view of a dataset: {@code flow_records}, {@code alert_records}, ... */
  static String raw(Dataset d) {
    return switch (d) {
      case FLOWS -> "flow_records";
      case ALERTS -> "alert_records";
      case FLOW_HOPS -> "flow_hop_records";
    };
  }

  private String source(Dataset d) throws SQLException {
    if (layout.hasFiles(d)) {
      return "SELECT * FROM read_parquet('"
          + layout.glob(d).replace("'", "''")
          + "', hive_partitioning = true, hive_types = {'date': DATE, 'hour': INTEGER})";
    }
    String empty = "empty_" + d.dir();
    try (Statement s = db.createStatement()) {
      s.execute("CREATE TEMP TABLE " + empty + " (" + d.columnDdl() + ")");
    }
    return "SELECT * FROM " + empty;
  }

  /** The store directory. */
  public Path store() {
    return layout.root();
  }

  /**
   * Runs one SQL statement and reads its whole answer.
   *
   * @throws QueryException with DuckDB's message on one line when the statement fails
   */
  public QueryResult sql(String sql) {
    // a failing statement closes its JDBC Statement: a fresh one per query
    try (Statement s = db.createStatement()) {
      if (!s.execute(sql)) {
        return new QueryResult(
            java.util.List.of("changed"), java.util.List.of(java.util.List.of(s.getUpdateCount())));
      }
      try (ResultSet r = s.getResultSet()) {
        return QueryResult.of(r);
      }
    } catch (SQLException e) {
      throw new QueryException(QueryException.firstLine(e), e);
    }
  }

  /** The flows matching a filter (one row per conversation; see {@link FlowFilter}). */
  public QueryResult flows(FlowFilter filter) {
    return sql(filter.sql());
  }

  @Override
  public void close() {
    try {
      db.close();
    } catch (SQLException e) {
      throw new IllegalStateException(QueryException.firstLine(e), e);
    }
  }
}
