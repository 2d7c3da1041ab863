package io.hoptrace.lab;

import io.hoptrace.schema.Alert;
import java.util.Collection;
import java.util.List;

/**
 * What equivalence tests (partitions, engines) compare of an alert: type, status, subject, lost-at
 * segment and count — not ids or times, which differ between runs.
 */
public final class Compared {
  private Compared() {}

  public static String alert(Alert a) {
    return a.getType()
        + " "
        + a.getStatus()
        + " "
        + a.getSubject()
        + " lostAt="
        + a.getLostAt()
        + " count="
        + a.getCount();
  }

  /** {@link #alert} of each, sorted. */
  public static List<String> alerts(Collection<Alert> alerts) {
    return alerts.stream().map(Compared::alert).sorted().toList();
  }
}
