package io.hoptrace.pcap;

import io.hoptrace.evidence.IncidentFlows;
import io.hoptrace.evidence.PacketSelection;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.Incident;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@link IncidentPcapTrigger} knows of the detection's recent output, and the incidents whose
 * evidence is due: an incident is due {@code settleMillis} after its first record arrived (by then
 * its conversations have flow records: the job publishes a conversation's first one at most {@code
 * flow.update.interval.ms} after its first packet); its packets are then selected exactly as {@code
 * hoptrace pcap --incident} and {@code analyze --incident-pcaps} select them ({@link
 * IncidentFlows}). An incident none of whose conversations has a record yet is due again a settle
 * time later, {@value #ATTEMPTS} times in all. Bounded: the newest {@code maxRecords} alert records
 * and flow records are kept, and incidents already asked for are remembered up to the same number.
 * Not thread-safe.
 */
final class IncidentEvidenceWindow {

  /**
   * An incident due, and the packets that are its evidence (empty on the last attempt: none of its
   * conversations known).
   */
  record Due(Incident incident, List<String> conversationIds, PacketSelection packets) {}

  /** Times an incident is looked at before it is given up for want of flow records. */
  static final int ATTEMPTS = 3;

  private final long settleMillis;
  private final int maxRecords;
  private final long slackNanos;
  private final long lateNanos;
  private final Deque<Alert> alerts = new ArrayDeque<>();
  private final Deque<FlowRecord> flows = new ArrayDeque<>();
  private final Map<String, List<Incident>> pending = new LinkedHashMap<>();
  private final Map<String, Long> dueAt = new HashMap<>();
  private final Map<String, Integer> attempts = new HashMap<>();
  private final Set<String> asked = new HashSet<>();
  private final Deque<String> askedOrder = new ArrayDeque<>();

  /**
   * @param settleMillis wall time from an incident's first record to its request
   * @param maxRecords alert and flow records kept (each), incidents remembered as asked for
   * @param slackNanos {@link IncidentFlows#select}'s slack
   * @param lateNanos {@link IncidentFlows#select}'s lateness
   */
  IncidentEvidenceWindow(long settleMillis, int maxRecords, long slackNanos, long lateNanos) {
    if (settleMillis < 0 || maxRecords < 1) {
      throw new IllegalArgumentException(
          "settleMillis must be >= 0 and maxRecords >= 1, were "
              + settleMillis
              + ", "
              + maxRecords);
    }
    this.settleMillis = settleMillis;
    this.maxRecords = maxRecords;
    this.slackNanos = slackNanos;
    this.lateNanos = lateNanos;
  }

  void alert(Alert a) {
    add(alerts, a);
  }

  void flow(FlowRecord f) {
    add(flows, f);
  }

  private <T> void add(Deque<T> q, T v) {
    q.addLast(v);
    if (q.size() > maxRecords) {
      q.removeFirst();
    }
  }

  /** An incident record arrived at wall time {@code nowMillis}. */
  void incident(Incident i, long nowMillis) {
    if (asked.contains(i.getId())) {
      return;
    }
    pending.computeIfAbsent(i.getId(), k -> new ArrayList<>()).add(i);
    dueAt.putIfAbsent(i.getId(), nowMillis + settleMillis);
  }

  /** Alert records kept. */
  int alerts() {
    return alerts.size();
  }

  /** Flow records kept. */
  int flows() {
    return flows.size();
  }

  /** Incidents waiting for their settle time. */
  int pending() {
    return pending.size();
  }

  /** The incidents due at {@code nowMillis}, each once, in the order they opened. */
  List<Due> due(long nowMillis) {
    List<Due> out = new ArrayList<>();
    var it = pending.entrySet().iterator();
    while (it.hasNext()) {
      var e = it.next();
      String id = e.getKey();
      if (dueAt.get(id) > nowMillis) {
        continue;
      }
      IncidentFlows.Selected mine =
          IncidentFlows.select(
                  e.getValue(), List.copyOf(alerts), List.copyOf(flows), slackNanos, lateNanos)
              .get(0);
      int attempt = attempts.merge(id, 1, Integer::sum);
      if (mine.packets().isEmpty() && attempt < ATTEMPTS) {
        dueAt.put(id, nowMillis + settleMillis);
        continue;
      }
      it.remove();
      dueAt.remove(id);
      attempts.remove(id);
      remember(id);
      out.add(new Due(mine.incident(), mine.conversationIds(), mine.packets()));
    }
    return out;
  }

  private void remember(String id) {
    asked.add(id);
    askedOrder.addLast(id);
    if (askedOrder.size() > maxRecords) {
      asked.remove(askedOrder.removeFirst());
    }
  }
}
