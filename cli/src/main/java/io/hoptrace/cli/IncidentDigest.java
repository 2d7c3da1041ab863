package io.hoptrace.cli;

import io.hoptrace.schema.Incident;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code demo} prints of the incidents topic: an incident's line when it opens and when its
 * status changes (not every record that adds an alert to it), and per scenario a digest of its
 * incidents — the SRE's first question, one line per root cause, before the alerts it explains.
 * Thread-safe: the incidents follower and the replay thread both call it.
 */
final class IncidentDigest {
  private final AlertPrinter printer;
  private final Map<String, Incident> latest = new LinkedHashMap<>();
  private final Map<String, Incident> scenario = new LinkedHashMap<>();
  private long received;

  IncidentDigest(AlertPrinter printer) {
    this.printer = printer;
  }

  /** Takes an incident record; returns the line to print now, or null (an update of no note). */
  synchronized String accept(Incident i) {
    received++;
    String id = i.getId();
    Incident before = latest.put(id, i);
    scenario.put(id, i);
    boolean opened = before == null;
    boolean statusChanged = before != null && before.getStatus() != i.getStatus();
    return opened || statusChanged ? printer.incidentLine(i) : null;
  }

  /** Incident records received so far (to wait until the follower caught up). */
  synchronized long received() {
    return received;
  }

  /**
   * The digest of the incidents seen since the last call (one scenario): a header line, then per
   * incident its last state with the number of alerts it explains and its cause.
   */
  synchronized List<String> endScenario(String name) {
    List<String> out = new ArrayList<>();
    out.add(
        "-- "
            + name
            + ": "
            + scenario.size()
            + (scenario.size() == 1 ? " incident" : " incidents")
            + (scenario.isEmpty() ? " (nothing lost)" : ", one per root cause:"));
    for (Incident i : scenario.values()) {
      out.add("   " + AlertPrinter.incidentText(i));
    }
    scenario.clear();
    return out;
  }
}
