package io.hoptrace.ecs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hoptrace.contract.HopId;
import io.hoptrace.contract.IpProto;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.AlertSubject;
import io.hoptrace.schema.LostAt;
import java.time.Instant;

/**
 * An {@link Alert} as Elastic Common Schema JSON for SIEMs: {@code event.kind=alert}, {@code
 * event.category=network}, {@code rule.name}, {@code message} (the hint), {@code source.*}, {@code
 * destination.*}, {@code network.transport}, {@code network.community_id}, {@code observer}/{@code
 * host}, and the rest under {@code hoptrace.*}.
 */
public final class EcsAlertJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private EcsAlertJson() {}

  private static String iso(long nanos) {
    return Instant.ofEpochSecond(
            Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L))
        .toString();
  }

  public static ObjectNode toNode(Alert a) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("@timestamp", iso(a.getLastSeen()));
    root.put("message", a.getHint());
    ObjectNode event = root.putObject("event");
    event.put("kind", "alert");
    event.putArray("category").add("network");
    event.putArray("type").add(a.getStatus() == AlertStatus.FIRING ? "start" : "end");
    event.put("id", a.getId());
    event.put("action", a.getStatus().name().toLowerCase());
    event.put(
        "severity",
        switch (a.getSeverity()) {
          case CRITICAL -> 73;
          case WARNING -> 47;
          default -> 21;
        });
    event.put("start", iso(a.getFirstSeen()));
    if (a.getStatus() == AlertStatus.RESOLVED) {
      event.put("end", iso(a.getLastSeen()));
    }
    event.put("count", a.getCount());
    event.put("provider", "hoptrace");
    ObjectNode rule = root.putObject("rule");
    rule.put("name", a.getType().name());
    rule.put("category", "network");
    AlertSubject s = a.getSubject();
    if (s.getSrc() != null) {
      ObjectNode src = root.putObject("source");
      src.put("ip", s.getSrc());
      if (s.getSport() >= 0) {
        src.put("port", s.getSport());
      }
    }
    if (s.getDst() != null) {
      ObjectNode dst = root.putObject("destination");
      dst.put("ip", s.getDst());
      if (s.getDport() >= 0) {
        dst.put("port", s.getDport());
      }
    }
    ObjectNode network = root.putObject("network");
    if (s.getProto() >= 0) {
      network.put("transport", IpProto.nameOrNumber(s.getProto()));
      network.put("iana_number", String.valueOf(s.getProto()));
    }
    if (!a.getCommunityIds().isEmpty()) {
      network.put("community_id", a.getCommunityIds().get(0));
    }
    String node = s.getNode();
    LostAt lost = a.getLostAt();
    if (node == null && lost != null && lost.getAfter() != null) {
      node = HopId.nodeOf(lost.getAfter());
    }
    if (node != null) {
      root.putObject("host").put("name", node);
      root.putObject("observer")
          .put("hostname", node)
          .put("type", "sensor")
          .put("vendor", "hoptrace");
    }
    ObjectNode h = root.putObject("hoptrace");
    h.put("type", a.getType().name());
    h.put("status", a.getStatus().name());
    h.put("severity", a.getSeverity().name());
    h.put("subject_kind", s.getKind());
    if (a.getIncidentId() != null) {
      h.put("incident_id", a.getIncidentId());
    }
    if (s.getConversationId() != null) {
      h.put("conversation_id", s.getConversationId());
    }
    if (s.getVtep() != null) {
      h.put("vtep", s.getVtep());
    }
    if (lost != null) {
      ObjectNode l = h.putObject("lost_at");
      l.put("after", lost.getAfter());
      l.put("before", lost.getBefore());
      l.put("direction", lost.getDirection());
    }
    h.putPOJO("hops_seen", a.getEvidence().getHopsSeen());
    h.putPOJO("hops_missing", a.getEvidence().getHopsMissing());
    ObjectNode counts = h.putObject("counts");
    a.getEvidence().getCounts().forEach(counts::put);
    ObjectNode facts = h.putObject("facts");
    a.getEvidence().getFacts().forEach(facts::put);
    if (a.getCommunityIds().size() > 1) {
      h.putPOJO("community_ids", a.getCommunityIds());
    }
    return root;
  }

  public static String toJson(Alert a) {
    try {
      return MAPPER.writeValueAsString(toNode(a));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render alert as JSON", e);
    }
  }
}
