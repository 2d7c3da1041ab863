package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hoptrace.decode.DecoderConfig;
import io.hoptrace.pipeline.AlertFollower;
import io.hoptrace.pipeline.EmbeddedPipeline;
import io.hoptrace.replay.Analysis;
import io.hoptrace.replay.Recordings;
import io.hoptrace.replay.Replay;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code hoptrace alerts} and {@code hoptrace flows --bootstrap} on a running pipeline: each
 * alert's current state / each conversation's last flow record from the topics, filtered; {@code
 * --follow} (the real launcher, stopped like Ctrl-C) prints what the job commits afterwards.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AlertsCommandIT {
  private static EmbeddedPipeline pipeline;
  private static List<Alert> records;

  @BeforeAll
  static void replayWrongVtep() throws Exception {
    pipeline = EmbeddedPipeline.builder().start();
    records =
        new Analysis(
                pipeline, DecoderConfig.defaults(), InstantSource.system(), Duration.ofMinutes(2))
            .run(Recordings.manifest("wrong-vtep"), m -> {})
            .alertRecords();
    assertThat(records).isNotEmpty();
  }

  @AfterAll
  static void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  @Order(1)
  void printsEachAlertsCurrentStateFiltered() {
    List<Alert> last = AlertFollower.lastStates(pipeline.readAlerts());
    CliRun all =
        CliRun.run("alerts", "--bootstrap", pipeline.bootstrapServers(), "--format", "json");
    assertThat(all.exitCode()).as(all.err()).isZero();
    assertThat(all.jsonLines())
        .extracting(n -> n.get("id").asText() + " " + n.get("status").asText())
        .containsExactlyElementsOf(
            last.stream().map(a -> a.getId() + " " + a.getStatus()).toList());

    CliRun firing =
        CliRun.run(
            "alerts",
            "--bootstrap",
            pipeline.bootstrapServers(),
            "--status",
            "FIRING",
            "--type",
            "VTEP_MISMATCH");
    assertThat(firing.exitCode()).as(firing.err()).isZero();
    long expected =
        last.stream()
            .filter(a -> a.getStatus() == AlertStatus.FIRING)
            .filter(a -> a.getType().name().equals("VTEP_MISMATCH"))
            .count();
    assertThat(expected).as("wrong-vtep's bad FDB entry keeps its alert firing").isPositive();
    assertThat(firing.out().lines().toList())
        .hasSize((int) expected)
        .allSatisfy(l -> assertThat(l).contains("FIRING").contains("VTEP_MISMATCH"));

    CliRun none =
        CliRun.run("alerts", "--bootstrap", pipeline.bootstrapServers(), "--type", "DNS_FAILURE");
    assertThat(none.exitCode()).isZero();
    assertThat(none.out()).isEmpty();
  }

  @Test
  @Order(2)
  void badOptionsAreOneLineErrors() {
    CliRun r = CliRun.run("alerts", "--bootstrap", pipeline.bootstrapServers(), "--timeout", "0");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err().strip()).contains("--timeout 0").doesNotContain("\n\tat ");
    CliRun t = CliRun.run("alerts", "--bootstrap", pipeline.bootstrapServers(), "--type", "LOUD");
    assertThat(t.exitCode()).isEqualTo(2);
    assertThat(t.err()).contains("--type").contains("LOUD");
  }

  @Test
  @Order(2)
  void flowsFromTheTopicAreEachConversationsLastRecordFiltered() {
    long conversations =
        pipeline.readFlows().stream().map(f -> f.getConversationId()).distinct().count();
    CliRun all =
        CliRun.run(
            "flows",
            "--bootstrap",
            pipeline.bootstrapServers(),
            "--format",
            "json",
            "--limit",
            "1000");
    assertThat(all.exitCode()).as(all.err()).isZero();
    assertThat(all.jsonLines()).hasSize((int) conversations);

    CliRun tcp =
        CliRun.run(
            "flows",
            "--bootstrap",
            pipeline.bootstrapServers(),
            "--format",
            "json",
            "--dst",
            "10.244.1.0/24",
            "--port",
            "8080");
    assertThat(tcp.exitCode()).as(tcp.err()).isZero();
    assertThat(tcp.jsonLines())
        .isNotEmpty()
        .allSatisfy(
            f -> {
              JsonNode t = f.get("tuples").get(0);
              assertThat(t.get("dst").asText()).startsWith("10.244.1.");
              assertThat(List.of(t.get("sport").asInt(), t.get("dport").asInt())).contains(8080);
            });

    CliRun noBootstrap = CliRun.run("flows", "--follow");
    assertThat(noBootstrap.exitCode()).isEqualTo(2);
    assertThat(noBootstrap.err()).contains("--follow needs --bootstrap");
  }

  @Test
  @Order(3) // last: it replays another recording, which resolves wrong-vtep's alert
  void followPrintsWhatTheJobCommitsAfterwards() throws Exception {
    Follow alerts =
        follow("alerts", "--follow", "--format", "json", "--type", "ONE_WAY", "--since", "1m");
    Follow flows = follow("flows", "--follow", "--format", "json", "--verdict", "ONE_WAY");
    try {
      Thread.sleep(5_000); // the followers have read the topics' current content
      new Replay(pipeline, DecoderConfig.defaults(), InstantSource.system(), Duration.ofMinutes(2))
          .startAt((System.currentTimeMillis() + 3_600_000L) * 1_000_000L)
          .run(Recordings.manifest("vxlan-blocked"), () -> false, m -> {});
      String line = alerts.lines().poll(90, TimeUnit.SECONDS);
      assertThat(line).as("a ONE_WAY line from alerts --follow").isNotNull();
      JsonNode a = CliRun.JSON.readTree(line);
      assertThat(a.get("type").asText()).isEqualTo("ONE_WAY");
      assertThat(a.get("lostAt").get("after").asText()).isEqualTo("node-b/ens33");
      // flow records come every flow-update interval and at the end: one with the alert's lost-at
      JsonNode localised = null;
      List<String> seen = new java.util.ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (localised == null && System.nanoTime() < deadline) {
        String f = flows.lines().poll(5, TimeUnit.SECONDS);
        JsonNode n = f == null ? null : CliRun.JSON.readTree(f);
        if (n != null) {
          seen.add(
              n.get("conversationId") + " final=" + n.get("final") + " lostAt=" + n.get("lostAt"));
        }
        if (n != null && n.get("lostAt").isObject()) {
          localised = n;
        }
      }
      assertThat(localised)
          .as(
              "a ONE_WAY flow with its lost-at from flows --follow; alert %s; flow lines: %s",
              a, seen)
          .isNotNull();
      assertThat(localised.get("verdict").asText()).isEqualTo("ONE_WAY");
      assertThat(localised.get("lostAt").get("before").asText()).isEqualTo("node-b/flannel.1");
    } finally {
      for (Follow f : List.of(alerts, flows)) {
        f.process().destroy(); // SIGTERM, as Ctrl-C
        assertThat(f.process().waitFor(30, TimeUnit.SECONDS))
            .as("--follow stops on SIGTERM")
            .isTrue();
      }
    }
  }

  private record Follow(Process process, BlockingQueue<String> lines) {}

  private static Follow follow(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>();
    cmd.add(CliRun.repoRoot().resolve("hoptrace").toString());
    cmd.add(args[0]);
    cmd.add("--bootstrap");
    cmd.add(pipeline.bootstrapServers());
    cmd.addAll(List.of(args).subList(1, args.length));
    Process p =
        new ProcessBuilder(cmd)
            .redirectError(Files.createTempFile("follow-" + args[0], ".err").toFile())
            .start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                r.lines().forEach(lines::add);
              } catch (Exception e) {
                // process gone
              }
            });
    reader.setDaemon(true);
    reader.start();
    return new Follow(p, lines);
  }
}
