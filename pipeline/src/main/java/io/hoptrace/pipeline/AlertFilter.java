package io.hoptrace.pipeline;

import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.AlertType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which alert records to show ({@code hoptrace alerts}): by type, by status, and active at or after
 * an instant (the alert's last sighting). Empty sets match everything.
 */
public record AlertFilter(Set<AlertType> types, Set<AlertStatus> statuses, Instant since)
    implements Predicate<Alert> {

  public AlertFilter {
    types = Set.copyOf(types);
    statuses = Set.copyOf(statuses);
  }

  @Override
  public boolean test(Alert a) {
    if (!types.isEmpty() && !types.contains(a.getType())) {
      return false;
    }
    if (!statuses.isEmpty() && !statuses.contains(a.getStatus())) {
      return false;
    }
    if (since != null) {
      long sinceNanos = since.getEpochSecond() * 1_000_000_000L + since.getNano();
      return a.getLastSeen() >= sinceNanos;
    }
    return true;
  }

  /** Each alert id's last record, in the order the ids first appear. */
  public static List<Alert> lastStates(List<Alert> records) {
    Map<String, Alert> last = new LinkedHashMap<>();
    for (Alert a : records) {
      last.put(a.getId(), a);
    }
    return new ArrayList<>(last.values());
  }
}
