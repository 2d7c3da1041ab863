package io.hoptrace.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hoptrace.history.QueryResult;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Prints a {@link QueryResult} as an aligned text table (with a row count), JSON lines (one object
 * per row, timestamps as ISO-8601 instants, lists as arrays, maps as objects) or CSV (RFC 4180,
 * with a header).
 */
final class QueryOutput {
  /** The formats {@code --format} accepts. */
  enum Format {
    table,
    json,
    csv
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private QueryOutput() {}

  static void print(QueryResult r, Format format, PrintWriter out) {
    print(r, format, out, QueryOutput::jsonRow);
  }

  /** As {@link #print(QueryResult, Format, PrintWriter)}, with JSON rows made by {@code json}. */
  static void print(
      QueryResult r, Format format, PrintWriter out, Function<Map<String, Object>, JsonNode> json) {
    switch (format) {
      case table -> table(r, out);
      case json -> r.rows().forEach(row -> out.println(json.apply(asMap(r, row)).toString()));
      case csv -> csv(r, out);
    }
    out.flush();
  }

  static Map<String, Object> asMap(QueryResult r, List<Object> row) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < r.columns().size(); i++) {
      m.put(r.columns().get(i), row.get(i));
    }
    return m;
  }

  static ObjectNode jsonRow(Map<String, Object> row) {
    ObjectNode o = JSON.createObjectNode();
    row.forEach((k, v) -> o.set(k, json(v)));
    return o;
  }

  static JsonNode json(Object v) {
    if (v instanceof Instant || v instanceof java.math.BigInteger) {
      return JSON.getNodeFactory().textNode(v.toString());
    }
    return JSON.valueToTree(v);
  }

  static String text(Object v) {
    if (v == null) {
      return "";
    }
    if (v instanceof List<?> l) {
      List<String> parts = new ArrayList<>();
      l.forEach(x -> parts.add(text(x)));
      return String.join(",", parts);
    }
    return v.toString();
  }

  private static void table(QueryResult r, PrintWriter out) {
    int n = r.columns().size();
    int[] width = new int[n];
    for (int i = 0; i < n; i++) {
      width[i] = r.columns().get(i).length();
    }
    List<String[]> cells = new ArrayList<>();
    for (List<Object> row : r.rows()) {
      String[] c = new String[n];
      for (int i = 0; i < n; i++) {
        c[i] = text(row.get(i));
        width[i] = Math.max(width[i], c[i].length());
      }
      cells.add(c);
    }
    out.println(line(r.columns().toArray(String[]::new), width));
    StringBuilder rule = new StringBuilder();
    for (int i = 0; i < n; i++) {
      rule.append(i == 0 ? "" : "  ").append("-".repeat(width[i]));
    }
    out.println(rule);
    cells.forEach(c -> out.println(line(c, width)));
    out.println("(" + r.rows().size() + " row" + (r.rows().size() == 1 ? "" : "s") + ")");
  }

  private static String line(String[] cells, int[] width) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        b.append("  ");
      }
      b.append(cells[i]);
      if (i < cells.length - 1) {
        b.append(" ".repeat(width[i] - cells[i].length()));
      }
    }
    return b.toString();
  }

  private static void csv(QueryResult r, PrintWriter out) {
    List<String> header = new ArrayList<>();
    r.columns().forEach(c -> header.add(csvCell(c)));
    out.println(String.join(",", header));
    for (List<Object> row : r.rows()) {
      List<String> cells = new ArrayList<>();
      row.forEach(v -> cells.add(csvCell(text(v))));
      out.println(String.join(",", cells));
    }
  }

  private static String csvCell(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return "\"" + s.replace("\"", "\"\"") + "\"";
  }
}
