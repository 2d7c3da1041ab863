package io.hoptrace.history;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SQL over a store: an in-memory DuckDB with views over the store's Parquet files (read with {@code
 * hive_partitioning}, so {@code date} and {@code hour} filters skip whole partitions).
 *
 * <ul>
 *   <li>{@code flow_records}, {@code alert_records}, {@code incident_records}, {@code
 *       flow_hop_records}: every record as written (a conversation's interim updates and its final
 *       record; an alert's or incident's FIRING, updates and RESOLVED); {@code final_flow_records}
 *       and {@code flow_update_records} are the two kinds of flow records, stored apart ({@code
 *       flows/}, {@code flow_updates/}).
 *   <li>{@code flows}: one row per conversation — its final record, or while it is still open its
 *       newest update — with the lost-at segment of the newest alert about it ({@code lost_after},
 *       {@code lost_before}, {@code lost_direction}, {@code alert_types}).
 *   <li>{@code alerts}: one row per alert id, as it last stood (newest record; RESOLVED wins a
 *       tie).
 *   <li>{@code incidents}: one row per incident id, as it last stood: the newest record (its
 *       last_seen and its alert list only grow; on a tie RESOLVED wins, then the fewest firing).
 *   <li>{@code flow_hops}: the per-hop, per-direction rows of the records in {@code flows}.
 * </ul>
 *
 * The writer never writes a record twice (see {@link StoreWriter}), so the views pick versions,
 * they do not remove duplicates. A dataset without files yet gives an empty view of the same
 * columns. Opening costs a new in-memory DuckDB; each statement creates the views it names on first
 * use. Not thread-safe.
 */
public final class StoreQuery implements AutoCloseable {
  /**
   * One row per conversation. A conversation is (conversation_id, first_seen): a flow key seen
   * again later (another replay, a new connection on the same ports) is another conversation, and
   * all versions of one share first_seen and so its partition. The alerts about it are those naming
   * its conversation_id that started between its first packet and {@value #ALERT_SLACK_SECONDS} s
   * after its last (a ONE_WAY alert fires when the reply is overdue, after the last packet; the
   * detection's default idle timeout, 60 s, ends a conversation, so an alert of the next
   * conversation of the same key starts after the next first packet). Its lost-at segment is that
   * of the first of them that has one.
   *
   * <p>The alerts are grouped by conversation_id with no other condition (a null id joins nothing
   * anyway): a LEFT JOIN to a side unique on the join key whose columns a query does not use is
   * removed by DuckDB's optimizer, so {@code select verdict, count(*) from flows} reads neither the
   * alerts nor the flows' conversation_id (a {@code WHERE} there kept the join: 240 MB read for a
   * day of 10 M flows instead of 5 MB).
   */
  static final int ALERT_SLACK_SECONDS = 60;

  private static final String FLOWS_VIEW =
      "WITH latest AS (%s),"
          + " about AS (SELECT conversation_id, list({'first': first_seen, 'after':"
          + " lost_after, 'before': lost_before, 'direction': lost_direction, 'type': type} ORDER"
          + " BY first_seen) AS items FROM alert_records GROUP BY 1), joined AS (SELECT latest.*,"
          + " list_filter(items, lambda x: x.first >="
          + " latest.first_seen AND x.first <= latest.last_seen + INTERVAL "
          + ALERT_SLACK_SECONDS
          + " SECOND) AS about FROM latest LEFT JOIN about USING (conversation_id)), lost AS"
          + " (SELECT * EXCLUDE (about), list_filter(about, lambda x: x.after IS NOT NULL)[1] AS"
          + " l, list_sort(list_distinct(list_transform(about, lambda x: x.type))) AS alert_types"
          + " FROM joined) SELECT * EXCLUDE (l, alert_types), l.after AS lost_after, l.before AS"
          + " lost_before, l.direction AS lost_direction, alert_types FROM lost";

  /** The conversations still open: their newest update (only when the store holds updates). */
  private static final String OPEN_FLOWS =
      " UNION ALL BY NAME (SELECT * FROM flow_update_records u WHERE NOT EXISTS (SELECT 1 FROM"
          + " final_flow_records f WHERE f.conversation_id = u.conversation_id AND f.first_seen ="
          + " u.first_seen AND f.date = u.date AND f.hour = u.hour) QUALIFY row_number() OVER"
          + " (PARTITION BY conversation_id, first_seen, date, hour ORDER BY last_seen DESC) = 1)";

  private final StoreLayout layout;
  private final Connection db;
  private final Set<String> created = new HashSet<>();
  private Boolean updates;

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
      try (Statement s = db.createStatement()) {
        s.execute("SET autoinstall_known_extensions=false");
        s.execute("SET autoload_known_extensions=false");
      } catch (SQLException e) {
        db.close();
        throw e;
      }
      return new StoreQuery(layout, db);
    } catch (SQLException e) {
      throw new IllegalStateException("store " + dir + ": " + QueryException.firstLine(e), e);
    }
  }

  /**
   * The views, each with the views it reads, in an order where a view comes after those. A
   * statement gets only the views it names ({@link #sql}): binding a view globs its dataset's files
   * and reads a Parquet footer, and the {@code flows} view plans a join, so creating all of them
   * cost about as much CPU as a lookup's whole scan.
   */
  private static final Map<String, List<String>> VIEWS = new LinkedHashMap<>();

  static {
    for (Dataset d : Dataset.values()) {
      VIEWS.put(raw(d), List.of());
    }
    String finalFlows = raw(Dataset.FLOWS);
    String updates = raw(Dataset.FLOW_UPDATES);
    VIEWS.put("flow_records", List.of(finalFlows, updates));
    VIEWS.put("flows", List.of(finalFlows, updates, raw(Dataset.ALERTS)));
    VIEWS.put("alerts", List.of(raw(Dataset.ALERTS)));
    VIEWS.put("incidents", List.of(raw(Dataset.INCIDENTS)));
    VIEWS.put("flow_hops", List.of(raw(Dataset.FLOW_HOPS), "flows"));
  }

  private static final Pattern WORD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /**
   * Creates the views {@code sql} names (a whole word, any case, quoted or not) and those they
   * read; when it names none (e.g. {@code show tables}, {@code duckdb_views()}), all of them. A
   * word that is no reference (a column or a string of the same name) only creates a view too many.
   */
  private void createViewsFor(String sql) throws SQLException {
    Set<String> named = new LinkedHashSet<>();
    Matcher m = WORD.matcher(sql);
    while (m.find()) {
      String w = m.group().toLowerCase(Locale.ROOT);
      if (VIEWS.containsKey(w)) {
        named.add(w);
      }
    }
    for (String v : named.isEmpty() ? VIEWS.keySet() : named) {
      create(v);
    }
  }

  private void create(String view) throws SQLException {
    if (created.contains(view)) {
      return;
    }
    for (String dep : VIEWS.get(view)) {
      create(dep);
    }
    try (Statement s = db.createStatement()) {
      s.execute("CREATE VIEW " + view + " AS " + definition(view));
    }
    created.add(view);
  }

  private String definition(String view) throws SQLException {
    for (Dataset d : Dataset.values()) {
      if (raw(d).equals(view)) {
        return source(d);
      }
    }
    return switch (view) {
      case "flow_records" ->
          "SELECT * FROM final_flow_records"
              + (hasUpdates() ? " UNION ALL BY NAME SELECT * FROM flow_update_records" : "");
      case "flows" ->
          String.format(
              FLOWS_VIEW, "SELECT * FROM final_flow_records" + (hasUpdates() ? OPEN_FLOWS : ""));
      case "alerts" ->
          "SELECT * FROM alert_records QUALIFY row_number() OVER (PARTITION BY id ORDER BY"
              + " last_seen DESC, status = 'RESOLVED' DESC, count DESC) = 1";
      case "incidents" ->
          "SELECT * FROM incident_records QUALIFY row_number() OVER (PARTITION BY id ORDER BY"
              + " last_seen DESC, len(alert_ids) DESC, status = 'RESOLVED' DESC,"
              + " len(firing_alert_ids)) = 1";
      case "flow_hops" ->
          "SELECT h.* FROM flow_hop_records h SEMI JOIN (SELECT conversation_id, first_seen,"
              + " last_seen, final, date, hour FROM flows) f ON h.conversation_id ="
              + " f.conversation_id AND h.first_seen = f.first_seen AND h.last_seen = f.last_seen"
              + " AND h.final = f.final AND h.date = f.date AND h.hour = f.hour";
      default -> throw new IllegalArgumentException("no view " + view);
    };
  }

  private boolean hasUpdates() {
    if (updates == null) {
      updates = layout.hasFiles(Dataset.FLOW_UPDATES);
    }
    return updates;
  }

  /** The views created so far (for tests). */
  Set<String> createdViews() {
    return Set.copyOf(created);
  }

  /** The raw view of a dataset: {@code final_flow_records}, {@code alert_records}, ... */
  public static String raw(Dataset d) {
    return switch (d) {
      case FLOWS -> "final_flow_records";
      case FLOW_UPDATES -> "flow_update_records";
      case ALERTS -> "alert_records";
      case INCIDENTS -> "incident_records";
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
      createViewsFor(sql);
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
    return sql(filter.sql(layout.maxFlowSpanNanos()));
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
