package io.hoptrace.history;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A query's answer: column names and rows of plain Java values — strings, numbers, booleans, {@link
 * java.time.Instant} for timestamps (UTC), {@link String} for dates, {@link List} for lists and
 * {@link Map} for maps.
 */
public record QueryResult(List<String> columns, List<List<Object>> rows) {

  /** Reads every row of a result set. */
  static QueryResult of(ResultSet r) throws SQLException {
    ResultSetMetaData m = r.getMetaData();
    int n = m.getColumnCount();
    List<String> columns = new ArrayList<>(n);
    for (int i = 1; i <= n; i++) {
      columns.add(m.getColumnLabel(i));
    }
    List<List<Object>> rows = new ArrayList<>();
    while (r.next()) {
      List<Object> row = new ArrayList<>(n);
      for (int i = 1; i <= n; i++) {
        row.add(plain(r.getObject(i)));
      }
      rows.add(row);
    }
    return new QueryResult(columns, rows);
  }

  /** The value of a named column in a row. */
  public Object value(List<Object> row, String column) {
    int i = columns.indexOf(column);
    if (i < 0) {
      throw new IllegalArgumentException("no column " + column + " in " + columns);
    }
    return row.get(i);
  }

  private static Object plain(Object v) throws SQLException {
    if (v instanceof Array a) {
      List<Object> out = new ArrayList<>();
      for (Object o : Arrays.asList((Object[]) a.getArray())) {
        out.add(plain(o));
      }
      return out;
    }
    if (v instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.put(plain(e.getKey()), plain(e.getValue()));
      }
      return out;
    }
    if (v instanceof Timestamp t) {
      return t.toLocalDateTime().toInstant(ZoneOffset.UTC);
    }
    if (v instanceof LocalDateTime t) {
      return t.toInstant(ZoneOffset.UTC);
    }
    if (v instanceof OffsetDateTime t) {
      return t.toInstant();
    }
    if (v instanceof java.time.LocalDate d) {
      return d.toString();
    }
    return v;
  }
}
