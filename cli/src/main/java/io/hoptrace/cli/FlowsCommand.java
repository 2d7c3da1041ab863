package io.hoptrace.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hoptrace.history.FlowFilter;
import io.hoptrace.history.QueryResult;
import io.hoptrace.history.StoreQuery;
import io.hoptrace.history.TimeArg;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hoptrace flows [filters]}: the common questions about stored flows, without SQL. */
@Command(
    name = "flows",
    mixinStandardHelpOptions = true,
    description = {
      "Lists flows from the flow store (one row per conversation, newest first) that match every"
          + " filter given: --src/--dst match the initiator's address or the NAT-ed one, --port"
          + " either port, --lost-at either hop of the lost-at segment, --since/--until flows"
          + " active in that range. JSON lines carry the flow's lostAt {after, before, direction}."
    })
final class FlowsCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin StoreReadOptions read;

  @Option(names = "--src", paramLabel = "IP|CIDR", description = "Source address or IPv4 prefix.")
  String src;

  @Option(names = "--dst", paramLabel = "IP|CIDR", description = "Destination address or prefix.")
  String dst;

  @Option(names = "--port", paramLabel = "N", description = "Source or destination port.")
  Integer port;

  @Option(names = "--verdict", paramLabel = "V", description = "OK, ONE_WAY, REJECTED, LOSSY, ...")
  String verdict;

  @Option(
      names = "--lost-at",
      paramLabel = "HOP",
      description = "A hop id (node/iface or node/pod/iface) of the lost-at segment.")
  String lostAt;

  @Option(
      names = "--since",
      paramLabel = "T",
      description =
          "Active at or after T: ISO-8601 (2026-12-04T13:10:00Z), a UTC date, or an age"
              + " (15m, 6h, 2d).")
  String since;

  @Option(names = "--until", paramLabel = "T", description = "Started at or before T (as --since).")
  String until;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "" + FlowFilter.DEFAULT_LIMIT,
      description = "At most N flows (default: ${DEFAULT-VALUE}).")
  int limit;

  @Override
  public Integer call() {
    FlowFilter f = filter(Instant.now());
    try (StoreQuery q = read.open()) {
      QueryResult r = q.flows(f);
      if (read.format == QueryOutput.Format.table) {
        r = compact(r);
      }
      QueryOutput.print(r, read.format, spec.commandLine().getOut(), FlowsCommand::json);
    }
    return 0;
  }

  /** The table's columns: one readable line per flow (JSON and CSV keep every column). */
  static QueryResult compact(QueryResult r) {
    List<List<Object>> rows = new ArrayList<>();
    for (List<Object> row : r.rows()) {
      Map<String, Object> m = QueryOutput.asMap(r, row);
      Object after = m.get("lost_after");
      String lost =
          after == null
              ? ""
              : after + " -> " + m.get("lost_before") + " (" + m.get("lost_direction") + ")";
      List<Object> out = new ArrayList<>();
      out.add(m.get("first_seen"));
      out.add(m.get("verdict") + (Boolean.TRUE.equals(m.get("final")) ? "" : " (open)"));
      out.add(QueryOutput.text(m.get("tuples")));
      out.add(lost);
      out.add(QueryOutput.text(m.get("alert_types")));
      out.add(m.get("conversation_id"));
      rows.add(out);
    }
    return new QueryResult(
        List.of("first_seen", "verdict", "flow", "lost_at", "alerts", "conversation_id"), rows);
  }

  /** The filter, every value checked. @throws IllegalArgumentException naming the option */
  FlowFilter filter(Instant now) {
    FlowFilter f = new FlowFilter();
    set("--src", src, f::src);
    set("--dst", dst, f::dst);
    set("--port", port, f::port);
    set("--verdict", verdict, f::verdict);
    set("--lost-at", lostAt, f::lostAt);
    set("--since", since, s -> f.since(TimeArg.parse(s, now)));
    set("--until", until, s -> f.until(TimeArg.parse(s, now)));
    set("--limit", limit, f::limit);
    try {
      f.sql();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--since/--until: " + e.getMessage(), e);
    }
    return f;
  }

  private static <T> void set(String option, T value, Consumer<T> setter) {
    if (value == null) {
      return;
    }
    try {
      setter.accept(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + " " + e.getMessage(), e);
    }
  }

  /** A flow row as JSON, the lost-at columns folded into {@code lostAt}. */
  static ObjectNode json(Map<String, Object> row) {
    Object after = row.remove("lost_after");
    Object before = row.remove("lost_before");
    Object direction = row.remove("lost_direction");
    ObjectNode o = QueryOutput.jsonRow(row);
    if (after == null && before == null) {
      o.putNull("lostAt");
    } else {
      ObjectNode l = o.putObject("lostAt");
      l.set("after", QueryOutput.json(after));
      l.set("before", QueryOutput.json(before));
      l.set("direction", QueryOutput.json(direction));
    }
    return o;
  }
}
