package io.hoptrace.history;

import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.AlertType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Which stored alerts to list: status, type, a time (alerts active at or after it) and a row limit.
 * Each setter validates its value ({@link IllegalArgumentException} saying what is wrong); {@link
 * #sql()} gives the query over the {@code alerts} view (each alert as it last stood), newest first.
 */
public final class AlertFilter {
  /** The columns the query returns, in order. */
  public static final List<String> COLUMNS =
      List.of(
          "id",
          "type",
          "severity",
          "status",
          "first_seen",
          "last_seen",
          "count",
          "subject_kind",
          "src",
          "dst",
          "proto",
          "sport",
          "dport",
          "node",
          "conversation_id",
          "lost_after",
          "lost_before",
          "lost_direction",
          "hint");

  public static final int DEFAULT_LIMIT = 200;

  private AlertStatus status;
  private AlertType type;
  private Instant since;
  private int limit = DEFAULT_LIMIT;

  /** FIRING or RESOLVED (any case). */
  public AlertFilter status(String value) {
    this.status = parse(AlertStatus.class, value);
    return this;
  }

  /** An alert type such as ONE_WAY (any case). */
  public AlertFilter type(String value) {
    this.type = parse(AlertType.class, value);
    return this;
  }

  public AlertFilter since(Instant t) {
    this.since = t;
    return this;
  }

  public AlertFilter limit(int n) {
    if (n < 1) {
      throw new IllegalArgumentException(n + ": must be >= 1");
    }
    this.limit = n;
    return this;
  }

  private static <E extends Enum<E>> E parse(Class<E> kind, String value) {
    String v = value == null ? "" : value.strip().toUpperCase(Locale.ROOT);
    for (E e : kind.getEnumConstants()) {
      if (e.name().equals(v)) {
        return e;
      }
    }
    throw new IllegalArgumentException(
        "'" + value + "': not one of " + Arrays.toString(kind.getEnumConstants()));
  }

  /** The query over the {@code alerts} view, newest first. */
  public String sql() {
    List<String> where = new ArrayList<>();
    if (status != null) {
      where.add("status = " + Sql.quote(status.name()));
    }
    if (type != null) {
      where.add("type = " + Sql.quote(type.name()));
    }
    if (since != null) {
      where.add("last_seen >= " + Sql.timestamp(since));
    }
    return "SELECT "
        + String.join(", ", COLUMNS)
        + " FROM alerts"
        + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
        + " ORDER BY last_seen DESC, id LIMIT "
        + limit;
  }
}
