package io.hoptrace.history;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** SQL literals for values hoptrace puts into generated queries. */
final class Sql {
  private static final DateTimeFormatter TS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.nnnnnnnnn").withZone(ZoneOffset.UTC);

  private Sql() {}

  /** A string literal. */
  static String quote(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  /** A {@code TIMESTAMP_NS} literal (UTC). */
  static String timestamp(Instant t) {
    return "TIMESTAMP_NS '" + TS.format(t) + "'";
  }
}
