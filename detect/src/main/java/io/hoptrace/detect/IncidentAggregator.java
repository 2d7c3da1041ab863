package io.hoptrace.detect;

import io.hoptrace.detect.state.StateStore;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.AlertType;
import io.hoptrace.schema.Incident;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Stage 3: groups alert records into incidents (by {@link Alert#getIncidentId()}, see {@link
 * Incidents}) and emits an incident record when it opens, when an alert joins it, when its cause
 * sentence improves, and when its last firing alert resolves (RESOLVED; the next alert of the same
 * cause opens it again). Per incident id, so a host may partition by it.
 */
public final class IncidentAggregator {
  private final StateStore<String, Incident> store;
  private final Consumer<Incident> out;

  public IncidentAggregator(StateStore<String, Incident> store, Consumer<Incident> out) {
    this.store = store;
    this.out = out;
  }

  public void onAlert(Alert a) {
    Incidents.Cause cause = Incidents.causeOf(a);
    String id = a.getIncidentId() != null ? a.getIncidentId() : cause.id();
    Incident inc = store.get(id);
    boolean changed = false;
    if (inc == null) {
      if (a.getStatus() != AlertStatus.FIRING) {
        return; // a resolution of an alert whose incident already closed
      }
      inc =
          Incident.newBuilder()
              .setId(id)
              .setStatus(AlertStatus.FIRING)
              .setCauseKind(cause.kind())
              .setCauseKey(cause.key())
              .setCause(a.getHint())
              .setSeverity(a.getSeverity())
              .setLostAt(a.getLostAt())
              .setAlertIds(new ArrayList<>())
              .setAlertTypes(new ArrayList<>())
              .setFiringAlertIds(new ArrayList<>())
              .setFirstSeen(a.getFirstSeen())
              .setLastSeen(a.getLastSeen())
              .build();
      changed = true;
    }
    List<String> ids = new ArrayList<>(inc.getAlertIds());
    List<String> types = new ArrayList<>(inc.getAlertTypes());
    List<String> firing = new ArrayList<>(inc.getFiringAlertIds());
    if (!ids.contains(a.getId())) {
      if (!changed && Incidents.rank(a.getType()) < bestRank(types)) {
        inc.setCause(a.getHint());
        if (a.getLostAt() != null) {
          inc.setLostAt(a.getLostAt());
        }
      }
      // kept in alert-id order (with their types): the same on every engine, whatever order
      // the alerts of one incident arrive in from several stage-2 tasks
      int at = 0;
      while (at < ids.size() && ids.get(at).compareTo(a.getId()) < 0) {
        at++;
      }
      ids.add(at, a.getId());
      types.add(at, a.getType().name());
      changed = true;
    }
    if (a.getStatus() == AlertStatus.FIRING) {
      if (!firing.contains(a.getId())) {
        firing.add(a.getId());
        firing.sort(null);
      }
    } else {
      firing.remove(a.getId());
    }
    if (a.getSeverity().ordinal() > inc.getSeverity().ordinal()) {
      inc.setSeverity(a.getSeverity());
    }
    inc.setFirstSeen(Math.min(inc.getFirstSeen(), a.getFirstSeen()));
    inc.setLastSeen(Math.max(inc.getLastSeen(), a.getLastSeen()));
    inc.setAlertIds(ids);
    inc.setAlertTypes(types);
    inc.setFiringAlertIds(firing);
    AlertStatus status = firing.isEmpty() ? AlertStatus.RESOLVED : AlertStatus.FIRING;
    if (status != inc.getStatus()) {
      inc.setStatus(status);
      changed = true;
    }
    if (status == AlertStatus.RESOLVED) {
      store.delete(id);
    } else {
      store.put(id, inc);
    }
    if (changed) {
      out.accept(Incident.newBuilder(inc).build());
    }
  }

  private static int bestRank(List<String> types) {
    int best = Integer.MAX_VALUE;
    for (String t : types) {
      best = Math.min(best, Incidents.rank(AlertType.valueOf(t)));
    }
    return best;
  }
}
