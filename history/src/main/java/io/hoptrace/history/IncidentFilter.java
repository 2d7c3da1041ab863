package io.hoptrace.history;

import io.hoptrace.schema.AlertStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Which stored incidents to list: status, a time (incidents active at or after it) and a row limit;
 * {@link #sql()} gives the query over the {@code incidents} view (each incident as it last stood),
 * newest first. Setters validate their value as {@link AlertFilter}'s do.
 */
public final class IncidentFilter {
  /** The columns the query returns, in order. */
  public static final List<String> COLUMNS =
      List.of(
          "id",
          "status",
          "severity",
          "cause_kind",
          "cause_key",
          "cause",
          "lost_after",
          "lost_before",
          "lost_direction",
          "first_seen",
          "last_seen",
          "alert_ids",
          "alert_types",
          "firing_alert_ids");

  public static final int DEFAULT_LIMIT = 100;

  private final Set<AlertStatus> statuses = EnumSet.noneOf(AlertStatus.class);
  private Instant since;
  private int limit = DEFAULT_LIMIT;

  /** FIRING or RESOLVED (any case); several statuses match any of them. */
  public IncidentFilter status(String value) {
    statuses.add(AlertFilter.parse(AlertStatus.class, value));
    return this;
  }

  public IncidentFilter since(Instant t) {
    this.since = t;
    return this;
  }

  public IncidentFilter limit(int n) {
    if (n < 1) {
      throw new IllegalArgumentException(n + ": must be >= 1");
    }
    this.limit = n;
    return this;
  }

  /** The query over the {@code incidents} view, newest first. */
  public String sql() {
    List<String> where = new ArrayList<>();
    if (!statuses.isEmpty()) {
      where.add("status IN (" + AlertFilter.names(statuses) + ")");
    }
    if (since != null) {
      where.add("last_seen >= " + Sql.timestamp(since));
    }
    return "SELECT "
        + String.join(", ", COLUMNS)
        + " FROM incidents"
        + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
        + " ORDER BY last_seen DESC, id LIMIT "
        + limit;
  }
}
