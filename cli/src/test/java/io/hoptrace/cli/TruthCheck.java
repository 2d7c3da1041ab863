package io.hoptrace.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares alerts (as the JSON objects {@code analyze} prints, {@link OutputJson#alert}) with a lab
 * recording's truth.json (deploy/lab/recordings/NAME): exactly the truth's alert types (extra types
 * only if the truth tolerates them), each expected alert matched by its subject facts and lost-at
 * hops, and every ONE_WAY about a truth flow localised as that flow says. Shared by {@link
 * LabScenariosIT} (recordings) and {@link LiveOverlayIT} (live sensors).
 */
final class TruthCheck {
  private TruthCheck() {}

  /** What does not agree with the truth; empty when the alerts are right. */
  static List<String> mismatches(JsonNode truth, List<JsonNode> alerts) {
    List<String> problems = new ArrayList<>();
    Set<String> expected = expectedTypes(truth);
    Set<String> tolerated = new TreeSet<>(expected);
    truth.get("tolerated").forEach(a -> tolerated.add(a.get("type").asText()));
    Set<String> actual = new TreeSet<>();
    alerts.forEach(a -> actual.add(a.get("type").asText()));
    Set<String> missing = new TreeSet<>(expected);
    missing.removeAll(actual);
    if (!missing.isEmpty()) {
      problems.add("alert types missing: " + missing);
    }
    Set<String> extra = new TreeSet<>(actual);
    extra.removeAll(tolerated);
    if (!extra.isEmpty()) {
      problems.add("alert types neither expected nor tolerated: " + extra);
    }

    List<JsonNode> unused = new ArrayList<>(alerts);
    for (JsonNode want : truth.get("alerts")) {
      JsonNode match = null;
      for (JsonNode got : unused) {
        if (matches(want, got)) {
          match = got;
          break;
        }
      }
      if (match == null) {
        problems.add("no alert matches " + want);
      } else {
        unused.remove(match);
      }
    }

    for (JsonNode got : alerts) {
      if (!got.get("type").asText().equals("ONE_WAY")) {
        continue;
      }
      JsonNode flow = truthFlow(truth, got.get("subject"));
      if (flow != null && !flow.get("lostAt").isEmpty()) {
        boolean localised = false;
        for (JsonNode l : flow.get("lostAt")) {
          localised |= sameLostAt(l, got.get("lostAt"));
        }
        if (!localised) {
          problems.add("ONE_WAY " + got.get("lostAt") + " is not lost at " + flow.get("lostAt"));
        }
      }
    }
    return problems;
  }

  /** The alert types the truth says a correct detector must raise. */
  static Set<String> expectedTypes(JsonNode truth) {
    Set<String> expected = new TreeSet<>();
    truth.get("alerts").forEach(a -> expected.add(a.get("type").asText()));
    return expected;
  }

  /** True if {@code got} is the alert the truth's {@code want} describes. */
  static boolean matches(JsonNode want, JsonNode got) {
    if (!want.get("type").asText().equals(got.get("type").asText())) {
      return false;
    }
    JsonNode s = got.get("subject");
    if (want.has("lostAt") && !sameLostAt(want.get("lostAt"), got.get("lostAt"))) {
      return false;
    }
    if (want.has("direction")
        && !direction(want.get("direction").asText())
            .equals(text(got.get("lostAt"), "direction"))) {
      return false;
    }
    if (want.has("resolver") && !want.get("resolver").asText().equals(text(s, "dst"))) {
      return false;
    }
    if (want.has("vtep") && !want.get("vtep").asText().equals(text(s, "vtep"))) {
      return false;
    }
    if (want.has("node") && !want.get("node").asText().equals(text(s, "node"))) {
      return false;
    }
    JsonNode facts = got.path("evidence").path("facts");
    // a router's error has the reporter as subject source; the destination's own error (port
    // unreachable) has the flow it is about, the reporter in the facts
    if (want.has("reporter")
        && !want.get("reporter").asText().equals(text(s, "src"))
        && !want.get("reporter").asText().equals(text(facts, "reporter"))) {
      return false;
    }
    if (want.has("target") && !want.get("target").asText().equals(text(s, "dst"))) {
      return false;
    }
    if (want.has("icmpType") && !want.get("icmpType").asText().equals(text(facts, "icmpType"))) {
      return false;
    }
    if (want.has("icmpCode") && !want.get("icmpCode").asText().equals(text(facts, "icmpCode"))) {
      return false;
    }
    if (want.has("pathMtu") && !want.get("pathMtu").asText().equals(text(facts, "pathMtu"))) {
      return false;
    }
    if (want.has("hintContains")
        && !String.valueOf(text(got, "hint")).contains(want.get("hintContains").asText())) {
      return false;
    }
    if (want.has("minCount") && got.get("count").asLong() < want.get("minCount").asLong()) {
      return false;
    }
    if (want.has("flow")
        && !sameFlow(want.get("flow"), s)
        && !String.valueOf(text(facts, "flows")).contains(flowText(want.get("flow")))) {
      return false;
    }
    return true;
  }

  /** A flow as the detection names it in evidence facts: {@code udp 10.0.0.1:5 -> 10.0.0.2:9}. */
  private static String flowText(JsonNode f) {
    String proto = AlertPrinter.protoName(f.get("proto").asInt());
    return proto
        + " "
        + f.get("src").asText()
        + ":"
        + f.get("sport").asInt()
        + " -> "
        + f.get("dst").asText()
        + ":"
        + f.get("dport").asInt();
  }

  private static JsonNode truthFlow(JsonNode truth, JsonNode subject) {
    for (JsonNode f : truth.get("flows")) {
      if (sameFlow(f, subject)) {
        return f;
      }
    }
    return null;
  }

  /** Same flow; ICMP echo flows are matched without ports (the truth has none, we use the id). */
  private static boolean sameFlow(JsonNode want, JsonNode subject) {
    if (!want.get("src").asText().equals(text(subject, "src"))
        || !want.get("dst").asText().equals(text(subject, "dst"))
        || want.get("proto").asInt() != subject.path("proto").asInt(-1)) {
      return false;
    }
    if (want.get("proto").asInt() == 1) {
      return true;
    }
    return want.get("sport").asInt() == subject.path("sport").asInt(-1)
        && want.get("dport").asInt() == subject.path("dport").asInt(-1);
  }

  private static boolean sameLostAt(JsonNode want, JsonNode got) {
    if (got == null || got.isNull()) {
      return false;
    }
    if (!want.get("after").asText().equals(text(got, "after"))
        || !want.get("before").asText().equals(text(got, "before"))) {
      return false;
    }
    return !want.has("direction")
        || direction(want.get("direction").asText()).equals(text(got, "direction"));
  }

  /** The truth says reply where we say reverse (responder to initiator). */
  private static String direction(String truth) {
    return truth.equals("reply") ? "reverse" : truth;
  }

  static String text(JsonNode n, String field) {
    return n == null || n.get(field) == null || n.get(field).isNull()
        ? null
        : n.get(field).asText();
  }
}
