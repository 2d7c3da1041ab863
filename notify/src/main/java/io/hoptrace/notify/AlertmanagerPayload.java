package io.hoptrace.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.AlertSubject;
import io.hoptrace.schema.LostAt;
import java.time.Instant;
import java.util.Collection;
import java.util.Locale;

/**
 * Alert records as Alertmanager API v2 alerts ({@code POST /api/v2/alerts}, a JSON array of {@code
 * {labels, annotations, startsAt, endsAt}}).
 *
 * <p>Labels (absent when the alert has no value for them): {@code alertname} (the type), {@code
 * severity} (lower case), {@code node}, {@code src}, {@code dst}, {@code proto} (name), {@code
 * sport}, {@code dport}, {@code vtep}, {@code lost_after}, {@code lost_before}, {@code direction},
 * {@code incident} (the incident id: group_by it to get one notification per cause), and {@code
 * hoptrace_id}, the alert's id: Alertmanager identifies an alert by its label set, so two flows'
 * alerts of one type between the same endpoints stay two alerts. Annotations: {@code summary} (one
 * line), {@code description} (the hint), {@code count}, {@code hops_missing}.
 *
 * <p>{@code startsAt} is the alert's first sighting (event time). A FIRING record has no {@code
 * endsAt}: Alertmanager keeps it active for its {@code resolve_timeout} from each post, so the sink
 * posts firing alerts again periodically. A RESOLVED record has {@code endsAt} = its last sighting.
 */
final class AlertmanagerPayload {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private AlertmanagerPayload() {}

  static ObjectNode alert(Alert a, Instant now) {
    ObjectNode o = MAPPER.createObjectNode();
    ObjectNode labels = o.putObject("labels");
    labels.put("alertname", a.getType().name());
    labels.put("severity", a.getSeverity().name().toLowerCase(Locale.ROOT));
    AlertSubject s = a.getSubject();
    put(labels, "node", s.getNode());
    put(labels, "src", s.getSrc());
    put(labels, "dst", s.getDst());
    if (s.getProto() >= 0) {
      labels.put("proto", AlertText.protoName(s.getProto()));
    }
    if (s.getSport() >= 0) {
      labels.put("sport", Integer.toString(s.getSport()));
    }
    if (s.getDport() >= 0) {
      labels.put("dport", Integer.toString(s.getDport()));
    }
    put(labels, "vtep", s.getVtep());
    LostAt l = a.getLostAt();
    if (l != null) {
      put(labels, "lost_after", l.getAfter());
      put(labels, "lost_before", l.getBefore());
      put(labels, "direction", l.getDirection());
    }
    labels.put("hoptrace_id", a.getId());
    put(labels, "incident", a.getIncidentId());
    ObjectNode ann = o.putObject("annotations");
    ann.put("summary", AlertText.summary(a));
    put(ann, "description", a.getHint());
    ann.put("count", Long.toString(a.getCount()));
    if (!a.getEvidence().getHopsMissing().isEmpty()) {
      ann.put("hops_missing", String.join(", ", a.getEvidence().getHopsMissing()));
    }
    Instant start = min(AlertText.instant(a.getFirstSeen()), now);
    o.put("startsAt", start.toString());
    if (a.getStatus() == AlertStatus.RESOLVED) {
      Instant end = min(AlertText.instant(Math.max(a.getLastSeen(), a.getFirstSeen())), now);
      o.put("endsAt", end.toString());
    }
    return o;
  }

  static String json(Collection<Alert> alerts, Instant now) {
    ArrayNode arr = MAPPER.createArrayNode();
    for (Alert a : alerts) {
      arr.add(alert(a, now));
    }
    return arr.toString();
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private static void put(ObjectNode o, String key, String value) {
    if (value != null && !value.isBlank()) {
      o.put(key, value);
    }
  }
}
