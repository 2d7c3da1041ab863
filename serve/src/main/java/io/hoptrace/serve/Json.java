package io.hoptrace.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hoptrace.history.QueryResult;
import java.time.Instant;
import java.util.List;

/**
 * Query answers as JSON: one object per row, keyed by column name; timestamps as ISO-8601 instants
 * (UTC), lists as arrays, maps as objects, nulls kept.
 */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static ArrayNode rows(QueryResult r) {
    ArrayNode out = MAPPER.createArrayNode();
    for (List<Object> row : r.rows()) {
      out.add(row(r, row));
    }
    return out;
  }

  static ObjectNode row(QueryResult r, List<Object> row) {
    ObjectNode o = MAPPER.createObjectNode();
    for (int i = 0; i < r.columns().size(); i++) {
      o.set(r.columns().get(i), value(row.get(i)));
    }
    return o;
  }

  static JsonNode value(Object v) {
    if (v instanceof Instant t) {
      return MAPPER.getNodeFactory().textNode(t.toString());
    }
    return MAPPER.valueToTree(v);
  }

  /** {@code {"error": message}}. */
  static ObjectNode error(String message) {
    return MAPPER.createObjectNode().put("error", message);
  }
}
