package io.hoptrace.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertSubject;
import io.hoptrace.schema.DropReason;
import io.hoptrace.schema.Evidence;
import io.hoptrace.schema.FiveTuple;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.HopStats;
import io.hoptrace.schema.Incident;
import io.hoptrace.schema.LostAt;
import java.time.Instant;
import java.util.TreeMap;

/**
 * Alerts and flow records as the JSON lines {@code analyze} prints. Times are ISO-8601 instants
 * (UTC, nanosecond precision); absent values are left out.
 *
 * <p>Alert: {@code id, type, status, severity, subject{kind, src, dst, proto, sport, dport, node,
 * vtep, conversationId}, lostAt{after, before, direction}, count, hint, firstSeen, lastSeen,
 * evidence{hopsSeen, hopsMissing, counts, facts, samples}, communityIds, incidentId,
 * dropReason{reason, code, hop, count, atLostSegment} when the kernel said one}.
 *
 * <p>Flow: {@code conversationId, tuples[{src, dst, proto, sport, dport}], communityIds, hops[{hop,
 * node, role, fwdPackets, fwdBytes, revPackets, revBytes, fwdRetransmissions, revRetransmissions}],
 * firstSeen, lastSeen, tcpState, verdict, final}. {@code fwd} is initiator to responder.
 */
public final class OutputJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private OutputJson() {}

  public static String alertLine(Alert a) {
    return alert(a).toString();
  }

  public static String flowLine(FlowRecord f) {
    return flow(f).toString();
  }

  public static ObjectNode alert(Alert a) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", a.getId());
    o.put("type", a.getType().name());
    o.put("status", a.getStatus().name());
    o.put("severity", a.getSeverity().name());
    o.set("subject", subject(a.getSubject()));
    lostAt(o, a.getLostAt());
    o.put("count", a.getCount());
    o.put("hint", a.getHint());
    o.put("firstSeen", time(a.getFirstSeen()));
    o.put("lastSeen", time(a.getLastSeen()));
    Evidence e = a.getEvidence();
    if (e != null) {
      ObjectNode eo = o.putObject("evidence");
      strings(eo.putArray("hopsSeen"), e.getHopsSeen());
      strings(eo.putArray("hopsMissing"), e.getHopsMissing());
      ObjectNode counts = eo.putObject("counts");
      new TreeMap<>(e.getCounts()).forEach(counts::put);
      ObjectNode facts = eo.putObject("facts");
      new TreeMap<String, String>(e.getFacts()).forEach(facts::put);
      strings(eo.putArray("samples"), e.getSamples());
    }
    strings(o.putArray("communityIds"), a.getCommunityIds());
    putIf(o, "incidentId", a.getIncidentId());
    dropReason(o, a.getDropReason());
    return o;
  }

  /**
   * {@code dropReason} {reason, code, hop, count, atLostSegment}, only when the kernel said one.
   */
  static void dropReason(ObjectNode o, DropReason d) {
    if (d != null) {
      ObjectNode r = o.putObject("dropReason");
      r.put("reason", d.getReason());
      r.put("code", d.getCode());
      r.put("hop", d.getHop());
      r.put("count", d.getCount());
      r.put("atLostSegment", d.getAtLostSegment());
    }
  }

  /** {@code lostAt} {after, before, direction}, or null. */
  static void lostAt(ObjectNode o, LostAt l) {
    if (l != null) {
      ObjectNode lo = o.putObject("lostAt");
      putIf(lo, "after", l.getAfter());
      putIf(lo, "before", l.getBefore());
      putIf(lo, "direction", l.getDirection());
    } else {
      o.putNull("lostAt");
    }
  }

  public static String incidentLine(Incident i) {
    return incident(i).toString();
  }

  /**
   * An incident: {@code incidentId, status, severity, causeKind, causeKey, cause, lostAt, alertIds,
   * alertTypes, firingAlertIds, firstSeen, lastSeen} (told apart from alerts by {@code alertIds}).
   */
  public static ObjectNode incident(Incident i) {
    ObjectNode o = JSON.createObjectNode();
    o.put("incidentId", i.getId());
    o.put("status", i.getStatus().name());
    o.put("severity", i.getSeverity().name());
    o.put("causeKind", i.getCauseKind());
    o.put("causeKey", i.getCauseKey());
    o.put("cause", i.getCause());
    lostAt(o, i.getLostAt());
    strings(o.putArray("alertIds"), i.getAlertIds());
    strings(o.putArray("alertTypes"), i.getAlertTypes());
    strings(o.putArray("firingAlertIds"), i.getFiringAlertIds());
    o.put("firstSeen", time(i.getFirstSeen()));
    o.put("lastSeen", time(i.getLastSeen()));
    dropReason(o, i.getDropReason());
    return o;
  }

  private static ObjectNode subject(AlertSubject s) {
    ObjectNode o = JSON.createObjectNode();
    o.put("kind", s.getKind());
    putIf(o, "src", s.getSrc());
    putIf(o, "dst", s.getDst());
    if (s.getProto() >= 0) {
      o.put("proto", s.getProto());
    }
    if (s.getSport() >= 0) {
      o.put("sport", s.getSport());
    }
    if (s.getDport() >= 0) {
      o.put("dport", s.getDport());
    }
    putIf(o, "node", s.getNode());
    putIf(o, "vtep", s.getVtep());
    putIf(o, "conversationId", s.getConversationId());
    return o;
  }

  public static ObjectNode flow(FlowRecord f) {
    ObjectNode o = JSON.createObjectNode();
    o.put("conversationId", f.getConversationId());
    ArrayNode tuples = o.putArray("tuples");
    for (FiveTuple t : f.getTuples()) {
      ObjectNode to = tuples.addObject();
      to.put("src", t.getSrc());
      to.put("dst", t.getDst());
      to.put("proto", t.getProto());
      to.put("sport", t.getSport());
      to.put("dport", t.getDport());
    }
    strings(o.putArray("communityIds"), f.getCommunityIds());
    ArrayNode hops = o.putArray("hops");
    for (HopStats h : f.getHops()) {
      ObjectNode ho = hops.addObject();
      ho.put("hop", h.getHop());
      ho.put("node", h.getNode());
      ho.put("role", h.getRole().name());
      ho.put("fwdPackets", h.getFwdPackets());
      ho.put("fwdBytes", h.getFwdBytes());
      ho.put("revPackets", h.getRevPackets());
      ho.put("revBytes", h.getRevBytes());
      ho.put("fwdRetransmissions", h.getFwdRetransmissions());
      ho.put("revRetransmissions", h.getRevRetransmissions());
    }
    o.put("firstSeen", time(f.getFirstSeen()));
    o.put("lastSeen", time(f.getLastSeen()));
    putIf(o, "tcpState", f.getTcpState());
    o.put("verdict", f.getVerdict());
    o.put("final", f.getFinal$());
    return o;
  }

  /** Nanoseconds since the epoch as an ISO-8601 instant. */
  public static String time(long nanos) {
    return Instant.ofEpochSecond(
            Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L))
        .toString();
  }

  private static void putIf(ObjectNode o, String k, String v) {
    if (v != null) {
      o.put(k, v);
    }
  }

  private static void strings(ArrayNode a, Iterable<String> values) {
    if (values != null) {
      values.forEach(a::add);
    }
  }
}
