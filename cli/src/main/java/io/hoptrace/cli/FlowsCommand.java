package io.hoptrace.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hoptrace.history.FlowFilter;
import io.hoptrace.history.QueryResult;
import io.hoptrace.history.StoreQuery;
import io.hoptrace.history.TimeArg;
import io.hoptrace.pipeline.FlowFollower;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.KafkaClientSettings;
import io.hoptrace.schema.LostAt;
import io.hoptrace.schema.Topics;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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
          + " active in that range. JSON lines carry the flow's lostAt {after, before, direction}.",
      "With --bootstrap the flows come from a running job's flows topic instead (read_committed;"
          + " lost-at from the newest alert about each conversation, as in the store): each"
          + " conversation's last record, then with --follow every new flow record until Ctrl-C."
    })
final class FlowsCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin StoreReadOptions read;

  @Mixin KafkaConnectOptions connect;

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

  @Option(
      names = "--bootstrap",
      paramLabel = "HOST:PORT",
      description = "Read the flows topic of a running job on this Kafka instead of the store.")
  String bootstrap;

  @Option(
      names = "--topic-prefix",
      defaultValue = Topics.DEFAULT_PREFIX,
      description = "With --bootstrap: prefix of hoptrace's topics (default: ${DEFAULT-VALUE}).")
  String topicPrefix;

  @Option(
      names = "--follow",
      description = "With --bootstrap: keep printing new flow records until Ctrl-C.")
  boolean follow;

  @Override
  public Integer call() throws InterruptedException {
    FlowFilter f = filter(Instant.now());
    connect.validate(bootstrap);
    if (bootstrap != null) {
      return fromTopic(f);
    }
    if (follow) {
      throw new IllegalArgumentException("--follow needs --bootstrap (it follows the flows topic)");
    }
    try (StoreQuery q = read.open()) {
      QueryResult r = q.flows(f);
      if (read.format == QueryOutput.Format.table) {
        r = compact(r);
      }
      QueryOutput.print(r, read.format, spec.commandLine().getOut(), FlowsCommand::json);
    }
    return 0;
  }

  /** {@code --bootstrap}: the flows topic, newest first up to --limit, then --follow. */
  private int fromTopic(FlowFilter f) throws InterruptedException {
    if (read.format == QueryOutput.Format.csv) {
      throw new IllegalArgumentException("--format csv: with --bootstrap, table or json");
    }
    KafkaClientSettings kafka = connect.check(bootstrap);
    PrintWriter out = spec.commandLine().getOut();
    FlowFollower.Snapshot s =
        FlowFollower.read(
            kafka,
            Topics.withPrefix(topicPrefix),
            Duration.ofSeconds(30),
            follow
                ? flow -> {
                  if (f.test(flow.record(), flow.lostAt())) {
                    print(out, flow);
                  }
                }
                : null);
    s.lastRecords().stream()
        .filter(flow -> f.test(flow.record(), flow.lostAt()))
        .sorted(
            Comparator.comparingLong((FlowFollower.Flow flow) -> -flow.record().getFirstSeen())
                .thenComparing(flow -> flow.record().getConversationId()))
        .limit(limit)
        .forEach(flow -> print(out, flow));
    if (s.follower() == null) {
      return 0;
    }
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "hoptrace-flows-stop"));
    try (FlowFollower follower = s.follower()) {
      stop.await();
    }
    return 0;
  }

  private void print(PrintWriter out, FlowFollower.Flow flow) {
    FlowRecord r = flow.record();
    LostAt l = flow.lostAt();
    String line;
    if (read.format == QueryOutput.Format.json) {
      ObjectNode o = OutputJson.flow(r);
      OutputJson.lostAt(o, l);
      line = o.toString();
    } else {
      StringBuilder tuples = new StringBuilder();
      r.getTuples()
          .forEach(
              t ->
                  tuples
                      .append(tuples.isEmpty() ? "" : ", ")
                      .append(t.getSrc())
                      .append(':')
                      .append(t.getSport())
                      .append(" > ")
                      .append(t.getDst())
                      .append(':')
                      .append(t.getDport()));
      line =
          OutputJson.time(r.getFirstSeen())
              + "  "
              + r.getVerdict()
              + (r.getFinal$() ? "" : " (open)")
              + "  "
              + tuples
              + (l == null
                  ? ""
                  : "  lost at "
                      + l.getAfter()
                      + " -> "
                      + l.getBefore()
                      + " ("
                      + l.getDirection()
                      + ")")
              + "  "
              + r.getConversationId();
    }
    synchronized (out) {
      out.println(line);
      out.flush();
    }
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
