package io.hoptrace.history;

import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.AlertType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which stored alerts to list: status, type, a time (alerts active at or after it) and a row limit.
 * Each setter validates its value ({@link IllegalArgumentException} saying what is wrong); {@link
 * #sql()} gives the query over the {@code alerts} view (each alert as it last stood), newest first;
 * {@link #test} applies the same filter to an alert record (as {@code hoptrace alerts} reads them
 * from the topic). Status and type may be given several times (any of them matches).
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

  private final Set<AlertStatus> statuses = EnumSet.noneOf(AlertStatus.class);
  private final Set<AlertType> types = EnumSet.noneOf(AlertType.class);
  private Instant since;
  private int limit = DEFAULT_LIMIT;

  /** FIRING or RESOLVED (any case). */
  public AlertFilter status(String value) {
    statuses.add(parse(AlertStatus.class, value));
    return this;
  }

  /** An alert type such as ONE_WAY (any case). */
  public AlertFilter type(String value) {
    types.add(parse(AlertType.class, value));
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

  static <E extends Enum<E>> E parse(Class<E> kind, String value) {
    String v = value == null ? "" : value.strip().toUpperCase(Locale.ROOT);
    for (E e : kind.getEnumConstants()) {
      if (e.name().equals(v)) {
        return e;
      }
    }
    throw new IllegalArgumentException(
        "'" + value + "': not one of " + Arrays.toString(kind.getEnumConstants()));
  }

  static String names(Set<? extends Enum<?>> values) {
    List<String> out = new ArrayList<>();
    values.forEach(v -> out.add(Sql.quote(v.name())));
    return String.join(", ", out);
  }

  /** The same filter over one alert record (the limit does not apply). */
  public boolean test(Alert a) {
    if (!statuses.isEmpty() && !statuses.contains(a.getStatus())) {
      return false;
    }
    if (!types.isEmpty() && !types.contains(a.getType())) {
      return false;
    }
    return since == null
        || a.getLastSeen() >= since.getEpochSecond() * 1_000_000_000L + since.getNano();
  }

  /** The query over the {@code alerts} view, newest first. */
  public String sql() {
    List<String> where = new ArrayList<>();
    if (!statuses.isEmpty()) {
      where.add("status IN (" + names(statuses) + ")");
    }
    if (!types.isEmpty()) {
      where.add("type IN (" + names(types) + ")");
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
