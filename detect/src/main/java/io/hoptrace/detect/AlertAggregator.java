package io.hoptrace.detect;

import io.hoptrace.detect.detector.AlertSpec;
import io.hoptrace.detect.detector.Detectors;
import io.hoptrace.detect.state.StateStore;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.AlertSubject;
import io.hoptrace.schema.AlertType;
import io.hoptrace.schema.LostAt;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Stage 2 of detection: per alert subject (the {@link Finding#key()}). Turns findings into
 * deduplicated {@link Alert}s — one FIRING per type and subject while active, FIRING updates with
 * new counts at most every {@code alert.update.interval.ms}, and a RESOLVED when the condition
 * clears:
 *
 * <ul>
 *   <li>per-flow conditions (ONE_WAY, MTU_BLACKHOLE) pass through, deduplicated;
 *   <li>RETRANSMISSION_STORM is keyed by destination: fewer than {@code storm.aggregate.min.flows}
 *       storming flows give one alert each, from then on ONE alert for the destination lists them
 *       (new storming flows are folded into it);
 *   <li>events (ICMP errors by reporter/target/code, DNS failures by resolver, VTEP mismatches)
 *       fire when their count in the window reaches the threshold and resolve after a window
 *       without any; state findings of the same subject (inventory VTEP conflicts) fire while
 *       active.
 * </ul>
 */
public final class AlertAggregator {
  private static final int MAX_MEMBERS_LISTED = 20;

  private final StateStore<String, Aggregate> store;
  private final Consumer<Alert> out;
  private final long updateNs;
  private final long stormMinFlows;
  private final DetectionConfig cfg;
  private long now = Long.MIN_VALUE;

  public AlertAggregator(
      DetectionConfig cfg, StateStore<String, Aggregate> store, Consumer<Alert> out) {
    this.store = store;
    // every alert names its incident (Incidents: derived from the alert alone)
    this.out =
        a -> {
          a.setIncidentId(Incidents.idOf(a));
          out.accept(a);
        };
    this.updateNs = cfg.nanos(DetectionConfig.ALERT_UPDATE_INTERVAL_MS);
    this.stormMinFlows = cfg.get(DetectionConfig.STORM_AGGREGATE_MIN_FLOWS);
    this.cfg = cfg;
  }

  public long now() {
    return now;
  }

  /** The stage-2 event window of a type, from its detector ({@link Detectors#spec}). */
  private long windowOf(AlertType type) {
    return Detectors.spec(type).windowNanos(cfg);
  }

  private long minOf(AlertType type) {
    return Detectors.spec(type).minCount(cfg);
  }

  /** Processes one finding of stage 1. */
  public void onFinding(Finding f) {
    Alert a = f.alert();
    long ts = a.getLastSeen();
    if (ts > now) {
      now = ts;
    }
    Aggregate agg = store.get(f.key());
    if (agg == null) {
      agg = new Aggregate();
      agg.key = f.key();
    }
    AlertType type = a.getType();
    if (f.kind() == Finding.Kind.STATE && Detectors.spec(type).perMember()) {
      onMemberState(agg, f, ts);
    } else {
      onSubjectFinding(agg, f, ts);
    }
    if (agg.isIdle()) {
      store.delete(agg.key);
    } else {
      store.put(agg.key, agg);
    }
  }

  // ------------------------------------------------------------------ per-member alerts (+ storm)

  private void onMemberState(Aggregate agg, Finding f, long ts) {
    Alert a = f.alert();
    boolean storm = Detectors.spec(a.getType()).stage2() == AlertSpec.Stage2.PER_MEMBER_FOLDED;
    Aggregate.Member m = agg.members.get(f.member());
    if (a.getStatus() == AlertStatus.FIRING) {
      if (m == null) {
        m = new Aggregate.Member();
        m.firstSeen = a.getFirstSeen();
        agg.members.put(f.member(), m);
      }
      m.latest = a;
      m.active = true;
      m.peakCount = Math.max(m.peakCount, a.getCount());
      m.text = a.getEvidence().getFacts().getOrDefault("flow", f.member());
      if (storm && !agg.firing && activeMembers(agg) >= stormMinFlows) {
        agg.firing = true;
        agg.firstSeen = ts;
        agg.lastSeen = ts;
        emitStorm(agg, AlertStatus.FIRING, ts);
        foldMembers(agg, ts);
        return;
      }
      if (storm && agg.firing) {
        agg.lastSeen = Math.max(agg.lastSeen, ts);
        if (updateDue(agg.lastEmitTs, ts) && stormCount(agg) != agg.emittedCount) {
          emitStorm(agg, AlertStatus.FIRING, ts);
        }
        return;
      }
      // an update only ever raises the count: a lower one (a window's loss aged out) is no news
      if (!m.emitted || (updateDue(m.lastEmitTs, ts) && a.getCount() > m.emittedCount)) {
        m.emitted = true;
        m.lastEmitTs = ts;
        m.emittedCount = a.getCount();
        m.fired = withId(a, agg.key, f.member(), m.firstSeen, AlertStatus.FIRING);
        out.accept(Alerts.copy(m.fired));
      }
    } else {
      if (m == null) {
        return;
      }
      m.active = false;
      if (m.emitted) {
        out.accept(resolution(m, a, agg.key, f.member()));
      }
      agg.members.remove(f.member());
      if (storm && agg.firing && activeMembers(agg) == 0) {
        emitStorm(agg, AlertStatus.RESOLVED, ts);
        agg.firing = false;
        agg.total = 0;
      }
    }
  }

  /**
   * The RESOLVED record of a member: the diagnosis of the alert that fired (its last FIRING record:
   * subject, lost-at segment, hint, evidence) — not the member's final finding, which may localise
   * less once the loss aged out of its window — with the resolution's facts, its last-seen time and
   * the highest count reported while firing (never below the last FIRING count).
   */
  private static Alert resolution(Aggregate.Member m, Alert cleared, String key, String member) {
    Alert fired = m.fired != null ? m.fired : m.latest != null ? m.latest : cleared;
    Alert r = withId(fired, key, member, m.firstSeen, AlertStatus.RESOLVED);
    long lastSeen = Math.max(cleared.getLastSeen(), fired.getLastSeen());
    if (m.latest != null) {
      lastSeen = Math.max(lastSeen, m.latest.getLastSeen());
    }
    r.setLastSeen(lastSeen);
    r.setCount(Math.max(Math.max(fired.getCount(), m.peakCount), m.emittedCount));
    r.getEvidence().getFacts().putAll(cleared.getEvidence().getFacts());
    return r;
  }

  /**
   * The destination's storm alert now lists its flows: the flows that stormed alone before it fired
   * are resolved into it (one storm alert per destination while it is active).
   */
  private void foldMembers(Aggregate agg, long ts) {
    String into = Alerts.id(agg.key, "*", agg.firstSeen);
    for (Map.Entry<String, Aggregate.Member> e : agg.members.entrySet()) {
      Aggregate.Member m = e.getValue();
      if (m.emitted && m.latest != null) {
        Alert r = resolution(m, m.latest, agg.key, e.getKey());
        r.setLastSeen(Math.max(r.getLastSeen(), ts));
        r.getEvidence().getFacts().put("resolvedBy", "folded into the destination's storm");
        r.getEvidence().getFacts().put("foldedInto", into);
        out.accept(r);
        m.emitted = false;
      }
    }
  }

  /** The lost-at segment most of the storming flows name (null if none does). */
  private static LostAt commonLostAt(Aggregate agg, AlertStatus status) {
    Map<String, Integer> votes = new LinkedHashMap<>();
    Map<String, LostAt> byKey = new LinkedHashMap<>();
    for (Aggregate.Member m : agg.members.values()) {
      LostAt l = m.latest == null ? null : m.latest.getLostAt();
      if ((m.active || status == AlertStatus.RESOLVED) && l != null && l.getBefore() != null) {
        String k = l.getAfter() + "|" + l.getBefore() + "|" + l.getDirection();
        votes.merge(k, 1, Integer::sum);
        byKey.putIfAbsent(k, l);
      }
    }
    String best = null;
    for (Map.Entry<String, Integer> v : votes.entrySet()) {
      if (best == null || v.getValue() > votes.get(best)) {
        best = v.getKey();
      }
    }
    return best == null ? null : LostAt.newBuilder(byKey.get(best)).build();
  }

  private boolean updateDue(long last, long ts) {
    return updateNs > 0 && ts - last >= updateNs;
  }

  private static long activeMembers(Aggregate agg) {
    return agg.members.values().stream().filter(m -> m.active).count();
  }

  private static long stormCount(Aggregate agg) {
    long n = 0;
    for (Aggregate.Member m : agg.members.values()) {
      if (m.active && m.latest != null) {
        n += m.latest.getCount();
      }
    }
    return n;
  }

  private void emitStorm(Aggregate agg, AlertStatus status, long ts) {
    String dest = agg.key.substring(agg.key.indexOf('|') + 1);
    List<String> flows = new ArrayList<>();
    List<String> cids = new ArrayList<>();
    long segments = 0;
    for (Aggregate.Member m : agg.members.values()) {
      if (m.active || status == AlertStatus.RESOLVED) {
        if (flows.size() < MAX_MEMBERS_LISTED) {
          flows.add(m.text);
        }
        if (m.latest != null) {
          segments += m.latest.getEvidence().getCounts().getOrDefault("segments", 0L);
          for (String c : m.latest.getCommunityIds()) {
            if (!cids.contains(c) && cids.size() < MAX_MEMBERS_LISTED) {
              cids.add(c);
            }
          }
        }
      }
    }
    long count = status == AlertStatus.RESOLVED ? agg.emittedCount : stormCount(agg);
    long n = activeMembers(agg);
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("flows", n);
    counts.put("retransmissions", count);
    counts.put("segments", segments);
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("destination", dest);
    facts.put("flows", String.join("; ", flows));
    LostAt lostAt = commonLostAt(agg, status);
    Alert a =
        Alerts.build(
            AlertType.RETRANSMISSION_STORM,
            status,
            AlertSubject.newBuilder().setKind("DESTINATION").setDst(dest).build(),
            lostAt,
            count,
            n
                + " flows to "
                + dest
                + " retransmit heavily ("
                + count
                + " retransmissions): the path to "
                + dest
                + " (or "
                + dest
                + " itself) drops packets"
                + (lostAt == null
                    ? ""
                    : "; the retransmitted segments disappear between "
                        + lostAt.getAfter()
                        + " and "
                        + lostAt.getBefore()),
            agg.firstSeen,
            Math.max(agg.lastSeen, ts),
            List.of(),
            List.of(),
            counts,
            facts,
            cids);
    a.setId(Alerts.id(agg.key, "*", agg.firstSeen));
    agg.lastEmitTs = ts;
    agg.emittedCount = count;
    out.accept(a);
  }

  private static Alert withId(Alert a, String key, String member, long firstSeen, AlertStatus s) {
    Alert c = Alerts.copy(a);
    c.setId(Alerts.id(key, member, firstSeen));
    c.setStatus(s);
    c.setFirstSeen(firstSeen);
    return c;
  }

  // ------------------------------------------------------------------ subject alerts (events)

  private void onSubjectFinding(Aggregate agg, Finding f, long ts) {
    Alert a = f.alert();
    AlertType type = a.getType();
    // the alert is built on the latest event (it names the traffic, its lost-at segment); a
    // condition of the same subject (e.g. the inventory's bad FDB entry) is merged into it
    boolean event = f.kind() == Finding.Kind.EVENT;
    if (event || agg.template == null || agg.total == 0) {
      agg.template = a;
    }
    // new kind of evidence for a firing subject: emitted at once, not after the update interval
    boolean newEvidence = agg.firing && event && agg.total == 0;
    Aggregate.Member m = agg.members.get(f.member());
    if (f.kind() == Finding.Kind.STATE) {
      if (a.getStatus() == AlertStatus.FIRING) {
        if (m == null) {
          m = new Aggregate.Member();
          m.firstSeen = a.getFirstSeen();
          agg.members.put(f.member(), m);
        }
        newEvidence = agg.firing && !m.active;
        m.active = true;
        m.latest = a;
      } else if (m != null) {
        m.active = false;
        if (m.events == 0) {
          agg.members.remove(f.member());
        }
      }
    } else {
      long win = windowOf(type);
      agg.events.add(ts, win, a.getCount());
      agg.total += a.getCount();
      if (m == null && agg.members.size() < 4 * MAX_MEMBERS_LISTED) {
        m = new Aggregate.Member();
        m.firstSeen = ts;
        agg.members.put(f.member(), m);
      }
      if (m != null) {
        m.events += a.getCount();
        m.text = a.getEvidence().getFacts().getOrDefault("flow", f.member());
        if (m.latest == null) {
          m.latest = a;
        }
      }
    }
    agg.lastSeen = Math.max(agg.lastSeen, ts);
    evaluateSubject(agg, ts, newEvidence);
  }

  private boolean subjectActive(Aggregate agg, long t) {
    boolean state = agg.members.values().stream().anyMatch(m -> m.active);
    AlertType type = agg.template.getType();
    return state || agg.events.sum(t, windowOf(type)) >= minOf(type);
  }

  private void evaluateSubject(Aggregate agg, long t, boolean newEvidence) {
    if (agg.template == null) {
      return;
    }
    boolean active = subjectActive(agg, t);
    if (active && !agg.firing) {
      agg.firing = true;
      agg.firstSeen = t;
      emitSubject(agg, AlertStatus.FIRING, t);
    } else if (active
        && (newEvidence || (updateDue(agg.lastEmitTs, t) && agg.total != agg.emittedCount))) {
      emitSubject(agg, AlertStatus.FIRING, t);
    } else if (!active && agg.firing) {
      emitSubject(agg, AlertStatus.RESOLVED, t);
      agg.firing = false;
    }
    if (!agg.firing && agg.events.sum(t, windowOf(agg.template.getType())) == 0) {
      agg.total = 0;
      agg.members.values().removeIf(m -> !m.active);
      for (Aggregate.Member m : agg.members.values()) {
        m.events = 0;
      }
    }
  }

  private void emitSubject(Aggregate agg, AlertStatus status, long t) {
    Alert tpl = agg.template;
    AlertType type = tpl.getType();
    Alert a = Alerts.copy(tpl);
    a.setStatus(status);
    a.setFirstSeen(agg.firstSeen);
    a.setLastSeen(Math.max(agg.lastSeen, agg.firstSeen));
    a.setId(Alerts.id(agg.key, "*", agg.firstSeen));
    Aggregate.Member stateMember = null;
    for (Aggregate.Member m : agg.members.values()) {
      if (m.active && m.latest != null) {
        stateMember = m;
      }
    }
    if (stateMember != null && agg.total == 0) {
      Alert s = Alerts.copy(stateMember.latest);
      a.setSubject(s.getSubject());
      a.setHint(s.getHint());
      a.setDropReason(s.getDropReason());
      a.setEvidence(s.getEvidence());
      a.setCount(s.getCount());
    } else {
      a.setCount(agg.total);
      if (stateMember != null) {
        mergeCondition(a, stateMember.latest);
      }
    }
    List<String> members = new ArrayList<>();
    List<String> cids = new ArrayList<>();
    for (Map.Entry<String, Aggregate.Member> e : agg.members.entrySet()) {
      Aggregate.Member m = e.getValue();
      if (m.latest != null) {
        for (String c : m.latest.getCommunityIds()) {
          if (!cids.contains(c) && cids.size() < MAX_MEMBERS_LISTED) {
            cids.add(c);
          }
        }
      }
      if (m.events > 0 && members.size() < MAX_MEMBERS_LISTED) {
        members.add(m.text != null ? m.text : e.getKey());
      }
    }
    Map<String, String> facts = new LinkedHashMap<>(a.getEvidence().getFacts());
    Map<String, Long> evCounts = new LinkedHashMap<>(a.getEvidence().getCounts());
    if (type == AlertType.DNS_FAILURE) {
      Map<String, Long> byKind = new TreeMap<>();
      List<String> clients = new ArrayList<>();
      for (Map.Entry<String, Aggregate.Member> e : agg.members.entrySet()) {
        Aggregate.Member m = e.getValue();
        if (m.events > 0) {
          clients.add(e.getKey() + " (" + m.events + ")");
        }
      }
      facts.remove("client");
      facts.remove("failure");
      facts.put("clients", String.join(", ", clients));
      evCounts.clear();
      evCounts.put("failures", agg.total);
      evCounts.put("clients", (long) clients.size());
      byKind.forEach(evCounts::put);
      String resolver = facts.getOrDefault("resolver", a.getSubject().getDst());
      a.setHint(
          "resolver "
              + resolver
              + " failed "
              + agg.total
              + " queries (unanswered within the timeout, SERVFAIL or REFUSED) from "
              + String.join(", ", clients)
              + ": check the resolver (e.g. CoreDNS) and its upstreams, and the path to it");
    } else if (!members.isEmpty()) {
      facts.put("flows", String.join("; ", members));
      evCounts.put("events", agg.total);
      evCounts.put("flows", (long) members.size());
      facts.remove("flow");
    }
    a.getEvidence().setFacts(facts);
    a.getEvidence().setCounts(evCounts);
    if (!cids.isEmpty()) {
      a.setCommunityIds(cids);
    }
    agg.lastEmitTs = t;
    agg.emittedCount = agg.total;
    out.accept(a);
  }

  /**
   * One alert per subject: the events' alert also carries the evidence of the condition about the
   * same subject (its hint first — it names the cause — then its facts; a fact both have lists both
   * values).
   */
  private static void mergeCondition(Alert a, Alert condition) {
    String hint = condition.getHint();
    if (hint != null && !hint.isEmpty() && !a.getHint().contains(hint)) {
      a.setHint(a.getHint().isEmpty() ? hint : hint + "; " + a.getHint());
    }
    if (a.getDropReason() == null) {
      a.setDropReason(condition.getDropReason());
    }
    Map<String, String> facts = new LinkedHashMap<>(a.getEvidence().getFacts());
    condition
        .getEvidence()
        .getFacts()
        .forEach(
            (k, v) -> {
              String mine = facts.get(k);
              if (mine == null) {
                facts.put(k, v);
              } else if (!mine.equals(v) && !List.of(mine.split(",")).contains(v)) {
                facts.put(k, mine + "," + v);
              }
            });
    a.getEvidence().setFacts(facts);
    Map<String, Long> counts = new LinkedHashMap<>(a.getEvidence().getCounts());
    condition.getEvidence().getCounts().forEach(counts::putIfAbsent);
    a.getEvidence().setCounts(counts);
    if (a.getLostAt() == null) {
      a.setLostAt(condition.getLostAt());
    }
  }

  // ------------------------------------------------------------------ time

  /**
   * Advances event time and resolves subjects whose window passed without events. Each subject is
   * judged at every instant on the way where its outcome can change without a finding (an update
   * due, a window boundary), so the alerts do not depend on how far each call moves the clock.
   */
  public void advanceTo(long nowNanos) {
    long from = now;
    if (nowNanos > now) {
      now = nowNanos;
    }
    if (now == Long.MIN_VALUE) {
      return;
    }
    List<String> keys = new ArrayList<>();
    store.forEach(
        (k, agg) -> {
          if (agg.template != null && (agg.firing || agg.total > 0)) {
            keys.add(k);
          }
        });
    for (String k : keys) {
      Aggregate agg = store.get(k);
      long before = agg.lastEmitTs;
      boolean wasFiring = agg.firing;
      long total = agg.total;
      stepTo(agg, from, now);
      if (agg.isIdle()) {
        store.delete(k);
      } else if (agg.firing != wasFiring || agg.lastEmitTs != before || agg.total != total) {
        store.put(k, agg);
      }
    }
  }

  /** Judges a subject at each of its instants in (from, t), then at t. */
  private void stepTo(Aggregate agg, long from, long t) {
    long at = from;
    for (int i = 0; i < 16; i++) {
      at = nextInstant(agg, at);
      if (at >= t) {
        break;
      }
      evaluateSubject(agg, at, false);
    }
    evaluateSubject(agg, t, false);
  }

  /** The first instant after {@code after} where a subject's outcome can change by itself. */
  private long nextInstant(Aggregate agg, long after) {
    long next = Long.MAX_VALUE;
    if (agg.firing && updateNs > 0 && agg.total != agg.emittedCount) {
      long due = agg.lastEmitTs + updateNs;
      if (due > after) {
        next = due;
      }
    }
    if (agg.events.bucket != Long.MIN_VALUE) {
      long w = windowOf(agg.template.getType());
      for (long b = agg.events.bucket + 1; b <= agg.events.bucket + 2; b++) {
        if (b * w > after) {
          next = Math.min(next, b * w);
        }
      }
    }
    return next;
  }

  /** End of input: resolves every event subject. */
  public void endOfInput() {
    if (now != Long.MIN_VALUE) {
      advanceTo(now + endOfInputNanos(cfg));
    }
  }

  /** How far (ns) {@link #endOfInput} moves event time: four of the longest event windows. */
  public static long endOfInputNanos(DetectionConfig cfg) {
    return 4 * Detectors.longestEventWindowNanos(cfg);
  }
}
