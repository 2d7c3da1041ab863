package io.hoptrace.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hoptrace.history.AlertFilter;
import io.hoptrace.history.Conversation;
import io.hoptrace.history.Dataset;
import io.hoptrace.history.FlowFilter;
import io.hoptrace.history.IncidentFilter;
import io.hoptrace.history.StoreLayout;
import io.hoptrace.history.StoreQuery;
import io.hoptrace.history.TimeArg;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The store's answers: alert, incident and flow searches with the filters of {@code hoptrace
 * flows}, and one conversation with its hop path. One in-memory DuckDB over the Parquet files
 * answers every request, one at a time (opening one takes about half a second); its views read the
 * files present at each query, and it is opened anew when a dataset that had no files when it was
 * opened has some now (its view was an empty table).
 */
final class StoreApi {
  static final Set<String> ALERT_PARAMS = Set.of("status", "type", "since", "limit");
  static final Set<String> INCIDENT_PARAMS = Set.of("status", "since", "limit");
  static final Set<String> FLOW_PARAMS =
      new LinkedHashSet<>(
          List.of("src", "dst", "port", "verdict", "lostAt", "since", "until", "limit"));

  private final Path store;
  private final Clock clock;
  private final StoreLayout layout;
  private StoreQuery open;
  private Set<Dataset> present = Set.of();

  StoreApi(Path store, Clock clock) {
    this.store = store;
    this.clock = clock;
    this.layout = new StoreLayout(store);
  }

  Path store() {
    return store;
  }

  /** {@code GET /api/alerts?status=&type=&since=&limit=}. */
  JsonNode alerts(URI uri) {
    Params p = Params.of(uri, ALERT_PARAMS);
    AlertFilter f = new AlertFilter();
    p.apply("status", f::status);
    p.apply("type", f::type);
    p.apply("since", s -> f.since(TimeArg.parse(s, clock.instant())));
    p.applyInt("limit", f::limit);
    return query(q -> Json.rows(q.sql(f.sql())));
  }

  /** {@code GET /api/incidents?status=&since=&limit=}: each incident as it last stood. */
  JsonNode incidents(URI uri) {
    Params p = Params.of(uri, INCIDENT_PARAMS);
    IncidentFilter f = new IncidentFilter();
    p.apply("status", f::status);
    p.apply("since", s -> f.since(TimeArg.parse(s, clock.instant())));
    p.applyInt("limit", f::limit);
    return query(q -> Json.rows(q.sql(f.sql())));
  }

  /** {@code GET /api/flows?src=&dst=&port=&verdict=&lostAt=&since=&until=&limit=}. */
  JsonNode flows(URI uri) {
    Params p = Params.of(uri, FLOW_PARAMS);
    Instant now = clock.instant();
    FlowFilter f = new FlowFilter();
    p.apply("src", f::src);
    p.apply("dst", f::dst);
    p.applyInt("port", f::port);
    p.apply("verdict", f::verdict);
    p.apply("lostAt", f::lostAt);
    p.apply("since", s -> f.since(TimeArg.parse(s, now)));
    p.apply("until", s -> f.until(TimeArg.parse(s, now)));
    p.applyInt("limit", f::limit);
    try {
      f.sql();
    } catch (IllegalArgumentException e) {
      throw new BadRequest("parameters 'since'/'until': " + e.getMessage(), e);
    }
    return query(q -> Json.rows(q.flows(f)));
  }

  /** {@code GET /api/flows/{conversationId}}: empty when the store has no such flow. */
  Optional<JsonNode> flow(String conversationId) {
    return query(q -> Conversation.find(q, conversationId).map(StoreApi::flowJson));
  }

  /**
   * The flow row (lost-at folded into {@code lostAt}), its hop path per direction in the order the
   * packets travel ({@code forward}: initiator to responder, hop index ascending; {@code reverse}:
   * the reply, descending), the hint of the alert that placed the lost-at segment, and the alerts.
   */
  static ObjectNode flowJson(Conversation c) {
    ObjectNode flow = Json.row(c.flow(), c.flow().rows().get(0));
    JsonNode after = flow.remove("lost_after");
    JsonNode before = flow.remove("lost_before");
    JsonNode direction = flow.remove("lost_direction");
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.set("flow", flow);
    if (after == null || after.isNull()) {
      out.putNull("lostAt");
    } else {
      ObjectNode l = out.putObject("lostAt");
      l.set("after", after);
      l.set("before", before);
      l.set("direction", direction);
      l.set("hint", hint(c, after.asText(), before.asText()));
    }
    ObjectNode path = out.putObject("path");
    List<ObjectNode> forward = new ArrayList<>();
    List<ObjectNode> reverse = new ArrayList<>();
    for (JsonNode h : Json.rows(c.hops())) {
      ObjectNode hop = (ObjectNode) h;
      String dir = hop.remove("direction").asText();
      (dir.equals("reverse") ? reverse : forward).add(hop);
    }
    path.putArray("forward").addAll(forward);
    ArrayNode rev = path.putArray("reverse");
    for (int i = reverse.size() - 1; i >= 0; i--) {
      rev.add(reverse.get(i));
    }
    out.set("alerts", Json.rows(c.alerts()));
    return out;
  }

  private static JsonNode hint(Conversation c, String after, String before) {
    for (JsonNode a : Json.rows(c.alerts())) {
      if (after.equals(a.path("lost_after").asText())
          && before.equals(a.path("lost_before").asText())) {
        return a.get("hint");
      }
    }
    return Json.MAPPER.nullNode();
  }

  private synchronized <T> T query(Function<StoreQuery, T> body) {
    Set<Dataset> now = EnumSet.noneOf(Dataset.class);
    for (Dataset d : Dataset.values()) {
      if (layout.hasFiles(d)) {
        now.add(d);
      }
    }
    if (open == null || !present.containsAll(now)) {
      if (open != null) {
        open.close();
      }
      open = StoreQuery.open(store);
      present = now;
    }
    return body.apply(open);
  }

  /** Closes the store's database. */
  synchronized void close() {
    if (open != null) {
      open.close();
      open = null;
    }
  }
}
