package io.hoptrace.evidence;

import io.hoptrace.contract.FlowKey;
import io.hoptrace.contract.IpText;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertSubject;
import io.hoptrace.schema.FiveTuple;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.Incident;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The conversations an incident concerns, and so the packets that are its evidence, read from the
 * detection's own records — no second guess of NAT or encapsulation:
 *
 * <ul>
 *   <li>a conversation is the detection's ({@link FlowRecord}): every 5-tuple the core linked into
 *       it — across NAT, by the packet fingerprint seen under two flow keys on one node — is in its
 *       {@code tuples}, so every translated form of the flow is selected;
 *   <li>an incident's alerts are those it lists ({@code alertIds}, over all its records) and those
 *       naming it ({@code incidentId}); every record of each counts;
 *   <li>a conversation is <b>named</b> by an alert about a flow ({@code subject.conversationId});
 *       it is <b>related</b> when it shares a Community ID with an alert (aggregated alerts — a
 *       VTEP mismatch, an ICMP unreachable pattern, a storm to one destination, a failing resolver
 *       — list their member flows' IDs) or, for an alert about a destination or a resolver, has a
 *       tuple to that address and port; a related conversation counts when its time span meets the
 *       incident's widened by {@code slackNanos} (a Community ID does not tell two pings between
 *       the same pods apart);
 *   <li>the packets selected are those of each conversation's flow keys within its time span, its
 *       end widened by {@code lateNanos}: a conversation's last seen is the first sighting of its
 *       last packet, which the other hops capture a little later (an ICMP error crosses every hop
 *       back to the client after the server's node saw it).
 * </ul>
 */
public final class IncidentFlows {

  /**
   * One incident's evidence.
   *
   * @param incident its last record
   * @param conversationIds the conversations concerned, by first seen
   * @param packets the packets to keep
   */
  public record Selected(
      Incident incident, List<String> conversationIds, PacketSelection packets) {}

  /** One conversation over all its records: flow keys, span, Community IDs. */
  private static final class Conv {
    final String id;
    final Set<String> keys = new LinkedHashSet<>();
    final Set<String> communityIds = new LinkedHashSet<>();
    final List<FiveTuple> tuples = new ArrayList<>();
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;

    Conv(String id) {
      this.id = id;
    }

    void add(FlowRecord f) {
      first = Math.min(first, f.getFirstSeen());
      last = Math.max(last, f.getLastSeen());
      communityIds.addAll(f.getCommunityIds());
      for (FiveTuple t : f.getTuples()) {
        if (keys.add(
            FlowKey.key(t.getProto(), t.getSrc(), t.getSport(), t.getDst(), t.getDport()))) {
          tuples.add(t);
        }
      }
    }

    boolean meets(long from, long to) {
      return last >= from && first <= to;
    }

    boolean goesTo(String dst, int dport) {
      for (FiveTuple t : tuples) {
        if (IpText.canonical(t.getDst()).equals(dst) && (dport < 0 || t.getDport() == dport)) {
          return true;
        }
      }
      return false;
    }
  }

  private IncidentFlows() {}

  /**
   * Every incident's evidence, incidents ordered by first seen, then id.
   *
   * @param incidentRecords every incident record (several per incident)
   * @param alertRecords every alert record
   * @param flowRecords every flow record
   * @param slackNanos how far outside an incident's span a related conversation may lie (at least
   *     the longest detection window: an alert fires a window after its flow's packets)
   * @param lateNanos how long after a conversation's last seen its packets are still captured on
   *     other hops (the detection's lateness)
   */
  public static List<Selected> select(
      List<Incident> incidentRecords,
      List<Alert> alertRecords,
      List<FlowRecord> flowRecords,
      long slackNanos,
      long lateNanos) {
    if (slackNanos < 0 || lateNanos < 0) {
      throw new IllegalArgumentException(
          "slackNanos and lateNanos must be >= 0, were " + slackNanos + ", " + lateNanos);
    }
    Map<String, Conv> convs = new LinkedHashMap<>();
    for (FlowRecord f : flowRecords) {
      convs.computeIfAbsent(f.getConversationId(), Conv::new).add(f);
    }
    Map<String, List<Alert>> alertsById = new HashMap<>();
    Map<String, Set<String>> alertsOfIncident = new HashMap<>();
    for (Alert a : alertRecords) {
      alertsById.computeIfAbsent(a.getId(), k -> new ArrayList<>()).add(a);
      if (a.getIncidentId() != null) {
        alertsOfIncident
            .computeIfAbsent(a.getIncidentId(), k -> new LinkedHashSet<>())
            .add(a.getId());
      }
    }
    Map<String, Incident> last = new LinkedHashMap<>();
    for (Incident i : incidentRecords) {
      last.put(i.getId(), i);
      alertsOfIncident
          .computeIfAbsent(i.getId(), k -> new LinkedHashSet<>())
          .addAll(i.getAlertIds());
    }
    List<Selected> out = new ArrayList<>();
    for (Incident i : last.values()) {
      long first = Long.MAX_VALUE;
      long lastSeen = Long.MIN_VALUE;
      for (Incident r : incidentRecords) {
        if (r.getId().equals(i.getId())) {
          first = Math.min(first, r.getFirstSeen());
          lastSeen = Math.max(lastSeen, r.getLastSeen());
        }
      }
      List<Alert> alerts = new ArrayList<>();
      for (String id : alertsOfIncident.getOrDefault(i.getId(), Set.of())) {
        alerts.addAll(alertsById.getOrDefault(id, List.of()));
      }
      List<Conv> chosen =
          concerned(alerts, convs, satSub(first, slackNanos), satAdd(lastSeen, slackNanos));
      List<String> ids = new ArrayList<>();
      for (Conv c : chosen) {
        ids.add(c.id);
      }
      out.add(new Selected(i, ids, selection(chosen, lateNanos)));
    }
    out.sort(
        Comparator.comparingLong((Selected s) -> s.incident().getFirstSeen())
            .thenComparing(s -> s.incident().getId()));
    return out;
  }

  /**
   * The packets of one conversation: its flow keys (every 5-tuple the detection linked into it)
   * within its time span, the end widened by {@code lateNanos}; null when no record has that id.
   */
  public static PacketSelection conversation(
      List<FlowRecord> flowRecords, String conversationId, long lateNanos) {
    Conv c = null;
    for (FlowRecord f : flowRecords) {
      if (f.getConversationId().equals(conversationId)) {
        if (c == null) {
          c = new Conv(conversationId);
        }
        c.add(f);
      }
    }
    if (c == null) {
      return null;
    }
    return selection(List.of(c), lateNanos);
  }

  private static PacketSelection selection(List<Conv> convs, long lateNanos) {
    PacketSelection packets = new PacketSelection();
    for (Conv c : convs) {
      for (String k : c.keys) {
        packets.add(k, c.first, satAdd(c.last, lateNanos));
      }
    }
    return packets;
  }

  private static List<Conv> concerned(
      List<Alert> alerts, Map<String, Conv> convs, long from, long to) {
    Set<String> named = new LinkedHashSet<>();
    Set<String> communityIds = new LinkedHashSet<>();
    Set<String> destinations = new LinkedHashSet<>();
    for (Alert a : alerts) {
      AlertSubject s = a.getSubject();
      if (s.getConversationId() != null) {
        named.add(s.getConversationId());
      }
      communityIds.addAll(a.getCommunityIds());
      String kind = s.getKind();
      if (("RESOLVER".equals(kind) || "DESTINATION".equals(kind))
          && s.getDst() != null
          && IpText.parse(s.getDst()) != null) {
        destinations.add(IpText.canonical(s.getDst()) + "|" + s.getDport());
      }
    }
    List<Conv> out = new ArrayList<>();
    for (Conv c : convs.values()) {
      if (named.contains(c.id) || (c.meets(from, to) && related(c, communityIds, destinations))) {
        out.add(c);
      }
    }
    out.sort(Comparator.comparingLong((Conv c) -> c.first).thenComparing(c -> c.id));
    return out;
  }

  private static boolean related(Conv c, Set<String> communityIds, Set<String> destinations) {
    for (String id : c.communityIds) {
      if (communityIds.contains(id)) {
        return true;
      }
    }
    for (String d : destinations) {
      int bar = d.lastIndexOf('|');
      if (c.goesTo(d.substring(0, bar), Integer.parseInt(d.substring(bar + 1)))) {
        return true;
      }
    }
    return false;
  }

  private static long satSub(long a, long b) {
    long r = a - b;
    return r > a ? Long.MIN_VALUE : r;
  }

  private static long satAdd(long a, long b) {
    long r = a + b;
    return r < a ? Long.MAX_VALUE : r;
  }
}
