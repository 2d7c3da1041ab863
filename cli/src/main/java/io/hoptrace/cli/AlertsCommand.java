package io.hoptrace.cli;

import io.hoptrace.history.AlertFilter;
import io.hoptrace.history.TimeArg;
import io.hoptrace.pipeline.AlertFollower;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.AlertType;
import io.hoptrace.schema.KafkaClientSettings;
import io.hoptrace.schema.Topics;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hoptrace alerts}: what a running job raised, read from its alerts topic ({@code
 * read_committed}), like {@code hubble observe}: each alert's current state, then with {@code
 * --follow} every new record as the job commits it.
 */
@Command(
    name = "alerts",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the alerts of a running detection job (run, flink or a demo's broker) from its"
          + " alerts topic, read_committed: each alert's current state (oldest first), filtered;"
          + " with --follow then every new alert record as the job commits it, until Ctrl-C."
    })
final class AlertsCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--bootstrap",
      required = true,
      paramLabel = "HOST:PORT",
      description = "Kafka bootstrap servers of the job's cluster.")
  String bootstrap;

  @Mixin KafkaConnectOptions connect;

  @Option(
      names = "--topic-prefix",
      defaultValue = Topics.DEFAULT_PREFIX,
      description = "Prefix of hoptrace's topics (default: ${DEFAULT-VALUE}).")
  String topicPrefix;

  @Option(names = "--follow", description = "Keep printing new alert records until Ctrl-C.")
  boolean follow;

  @Option(
      names = "--since",
      paramLabel = "T",
      description =
          "Alerts seen at or after T: ISO-8601 (2026-12-04T13:10:00Z), a UTC date, or an age (15m,"
              + " 6h, 2d).")
  String since;

  @Option(
      names = "--type",
      paramLabel = "TYPE",
      split = ",",
      description = "Only these alert types (ONE_WAY, VTEP_MISMATCH, ...; repeatable).")
  List<AlertType> types = List.of();

  @Option(
      names = "--status",
      paramLabel = "STATUS",
      split = ",",
      description = "Only these statuses (FIRING, RESOLVED).")
  List<AlertStatus> statuses = List.of();

  @Option(
      names = "--format",
      paramLabel = "table|json",
      defaultValue = "table",
      description = "One line per alert as demo prints it, or JSON lines as analyze prints them.")
  Format format;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description =
          "How long reading the topic's current content may take (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  enum Format {
    table,
    json
  }

  @Override
  public Integer call() throws Exception {
    if (timeoutSeconds < 1) {
      throw new IllegalArgumentException("--timeout " + timeoutSeconds + ": must be >= 1");
    }
    AlertFilter filter = new AlertFilter();
    types.forEach(t -> filter.type(t.name()));
    statuses.forEach(st -> filter.status(st.name()));
    if (since != null) {
      try {
        filter.since(TimeArg.parse(since, Instant.now()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--since " + e.getMessage(), e);
      }
    }
    String topic = Topics.withPrefix(topicPrefix).alerts();
    KafkaClientSettings kafka = connect.check(bootstrap);
    PrintWriter out = spec.commandLine().getOut();
    AlertFollower.Snapshot s =
        AlertFollower.read(
            kafka,
            topic,
            Duration.ofSeconds(timeoutSeconds),
            follow
                ? a -> {
                  if (filter.test(a)) {
                    print(out, a);
                  }
                }
                : null);
    synchronized (out) {
      s.lastStates().stream().filter(filter::test).forEach(a -> print(out, a));
    }
    if (s.follower() == null) {
      return 0;
    }
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "hoptrace-alerts-stop"));
    try (AlertFollower f = s.follower()) {
      stop.await();
    }
    return 0;
  }

  private void print(PrintWriter out, Alert a) {
    String line =
        format == Format.json
            ? OutputJson.alertLine(a)
            : new AlertPrinter(
                    ZoneId.systemDefault(),
                    InstantSource.fixed(Instant.ofEpochSecond(0, a.getLastSeen())))
                .line(a);
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }
}
