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
 * sentence improves, and when its last firing alert resolves (RESOLVED). A resolved incident is
 * kept for {@link DetectionConfig#INCIDENT_LINGER_MS} of event time: an alert of the same cause
 * that starts within it re-opens it with its earlier alerts (one fault, one incident, whatever
 * order its alerts' firings and resolutions reach stage 3 in); a later one opens a fresh incident.
 * Hosts remove resolved incidents with {@link #expire} once their time has passed {@link
 * #removableAfter}: the linger plus {@link #lateAlertNanos}, the longest an alert can trail the
 * stage's time when it arrives, so a late alert that started within the linger still finds the
 * incident (memory only: what is emitted does not depend on when hosts remove). Per incident id, so
 * a host may partition by it.
 *
 * <p>An incident carries the kernel's drop reason of the alert its cause comes from; while that
 * alert has none, the first reason another of its alerts brings, said after the cause.
 */
public final class IncidentAggregator {
  private final StateStore<String, Incident> store;
  private final Consumer<Incident> out;
  private final long lingerNs;
  private final long lateNs;

  /** With the default linger. */
  public IncidentAggregator(StateStore<String, Incident> store, Consumer<Incident> out) {
    this(DetectionConfig.defaults(), store, out);
  }

  public IncidentAggregator(
      DetectionConfig cfg, StateStore<String, Incident> store, Consumer<Incident> out) {
    this.store = store;
    this.out = out;
    this.lingerNs = cfg.nanos(DetectionConfig.INCIDENT_LINGER_MS);
    this.lateNs = lateAlertNanos(cfg);
  }

  /**
   * How far (ns) behind the time of stage 3 an alert may arrive: the time stages 1 and 2 take at
   * most to report on what they saw ({@link FlowDetector#endOfInputNanos} + {@link
   * AlertAggregator#endOfInputNanos}). A host's stage-3 time runs ahead of the alerts' own times by
   * that much — Flink's watermark is the packets' capture time, and an alert fires once its
   * detector's window has passed — and stage-2 tasks run apart, so the alerts of one incident from
   * two of them arrive out of order.
   */
  public static long lateAlertNanos(DetectionConfig cfg) {
    return FlowDetector.endOfInputNanos(cfg) + AlertAggregator.endOfInputNanos(cfg);
  }

  /** Event time (ns) until which a resolved incident is kept, or -1 if {@code i} is firing. */
  public long keptUntil(Incident i) {
    return i.getStatus() == AlertStatus.RESOLVED ? i.getLastSeen() + lingerNs : -1;
  }

  /**
   * Event time (ns) after which a resolved incident may be removed — its linger and {@link
   * #lateAlertNanos} — or -1 if {@code i} is firing.
   */
  public long removableAfter(Incident i) {
    long until = keptUntil(i);
    return until < 0 ? -1 : until + lateNs;
  }

  /**
   * Removes incident {@code id} if it is resolved and {@code now} is past {@link #removableAfter}.
   */
  public void expire(String id, long now) {
    Incident i = store.get(id);
    if (i != null && removable(i, now)) {
      store.delete(id);
    }
  }

  private boolean removable(Incident i, long now) {
    return i.getStatus() == AlertStatus.RESOLVED && removableAfter(i) < now;
  }

  /** {@link #expire} for every incident of the store. */
  public void expireAll(long now) {
    List<String> gone = new ArrayList<>();
    store.forEach(
        (id, i) -> {
          if (removable(i, now)) {
            gone.add(id);
          }
        });
    gone.forEach(store::delete);
  }

  public void onAlert(Alert a) {
    Incidents.Cause cause = Incidents.causeOf(a);
    String id = a.getIncidentId() != null ? a.getIncidentId() : cause.id();
    Incident inc = store.get(id);
    boolean changed = false;
    if (inc != null
        && inc.getStatus() == AlertStatus.RESOLVED
        && (a.getStatus() != AlertStatus.FIRING || a.getFirstSeen() > keptUntil(inc))) {
      if (a.getStatus() != AlertStatus.FIRING) {
        return; // a resolution of an alert whose incident already closed
      }
      store.delete(id); // past the linger: a new incident of the same cause
      inc = null;
    }
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
              .setDropReason(a.getDropReason())
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
        if (a.getDropReason() != null) {
          inc.setDropReason(a.getDropReason());
        } else if (inc.getDropReason() != null) {
          inc.setCause(a.getHint() + "; " + DropJoin.sentence(inc.getDropReason()));
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
    } else if (inc.getDropReason() == null
        && a.getDropReason() != null
        && a.getStatus() == AlertStatus.FIRING
        && Incidents.rank(a.getType()) <= bestRank(types)) {
      // the cause's alert learnt what the kernel said after the incident opened
      inc.setCause(a.getHint());
      inc.setDropReason(a.getDropReason());
      changed = true;
    }
    if (inc.getDropReason() == null
        && a.getDropReason() != null
        && a.getStatus() == AlertStatus.FIRING
        && Incidents.rank(a.getType()) > bestRank(types)) {
      // the cause's alert has no reason (e.g. it fired before the sensors' first drop record and
      // is not reported again), another of the incident's alerts has one: said next to the cause
      inc.setCause(inc.getCause() + "; " + DropJoin.sentence(a.getDropReason()));
      inc.setDropReason(a.getDropReason());
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
    store.put(id, inc); // kept while firing and for the linger after (see expire)
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
