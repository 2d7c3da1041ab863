package io.hoptrace.history;

import java.sql.SQLException;

/** A query that DuckDB refused or that failed, with its message on one line. */
public final class QueryException extends RuntimeException {
  QueryException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * An exception's message on one line: DuckDB's lines joined, without the echoed query ({@code
   * LINE 1: ...}) and its caret line.
   */
  static String firstLine(SQLException e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    StringBuilder out = new StringBuilder();
    for (String line : m.split("\\R")) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("LINE ") || l.chars().allMatch(c -> c == '^' || c == ' ')) {
        continue;
      }
      out.append(out.length() == 0 ? "" : " ").append(l);
    }
    return out.length() == 0 ? e.getClass().getSimpleName() : out.toString();
  }
}
