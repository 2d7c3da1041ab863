package io.hoptrace.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Reads the Grafana dashboards of {@code deploy/grafana/dashboards} for the tests. */
final class Dashboards {
  static final Path DIR = CliRun.repoRoot().resolve("deploy/grafana/dashboards");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern METRIC =
      Pattern.compile("\\b((?:hoptrace|jvm|process|system)_[a-zA-Z0-9_]*)\\b");

  private Dashboards() {}

  static List<Path> files() throws IOException {
    try (Stream<Path> s = Files.list(DIR)) {
      return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }

  static JsonNode read(Path file) throws IOException {
    return JSON.readTree(Files.readString(file));
  }

  /** Every panel, rows' nested panels included. */
  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode p : dashboard.path("panels")) {
      out.add(p);
      p.path("panels").forEach(out::add);
    }
    return out;
  }

  /** The metric names a PromQL expression reads (label matchers and strings ignored). */
  static Set<String> metrics(String expr) {
    String bare = expr.replaceAll("\"[^\"]*\"", "\"\"").replaceAll("\\{[^}]*}", "{}");
    Set<String> out = new TreeSet<>();
    Matcher m = METRIC.matcher(bare);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** Every metric name a dashboard's panel queries and variables read. */
  static Set<String> metrics(JsonNode dashboard) {
    Set<String> out = new TreeSet<>();
    for (JsonNode p : panels(dashboard)) {
      for (JsonNode t : p.path("targets")) {
        out.addAll(metrics(t.path("expr").asText()));
      }
    }
    for (JsonNode v : dashboard.path("templating").path("list")) {
      out.addAll(metrics(v.path("definition").asText()));
    }
    return out;
  }

  /** Metric names of a Prometheus exposition (the sample lines). */
  static Set<String> exposed(String exposition) {
    Set<String> out = new TreeSet<>();
    for (String line : exposition.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int end = 0;
      while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
        end++;
      }
      out.add(line.substring(0, end));
    }
    return out;
  }
}
