package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hoptrace.history.StoreFiles;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.AlertSubject;
import io.hoptrace.schema.AlertType;
import io.hoptrace.schema.Evidence;
import io.hoptrace.schema.FiveTuple;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.LostAt;
import io.hoptrace.schema.Severity;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code query} and {@code flows} over a store written from hand-made records. */
class StoreCommandsTest {
  private static final long T0 = Instant.parse("2026-12-04T13:10:00Z").toEpochMilli() * 1_000_000L;

  @TempDir Path store;

  @BeforeEach
  void writeStore() throws Exception {
    try (StoreFiles f = StoreFiles.open(store)) {
      f.add(flow("blocked", "10.244.1.2", "ONE_WAY", T0));
      f.add(flow("fine", "10.244.1.3", "OK", T0 + 1_000_000_000L));
      f.add(alert("blocked", T0 + 2_000_000_000L));
      f.flush();
    }
  }

  private static FlowRecord flow(String id, String dst, String verdict, long first) {
    return FlowRecord.newBuilder()
        .setConversationId(id)
        .setTuples(
            List.of(
                FiveTuple.newBuilder()
                    .setSrc("10.244.0.2")
                    .setDst(dst)
                    .setProto(6)
                    .setSport(40011)
                    .setDport(8080)
                    .build()))
        .setFirstSeen(first)
        .setLastSeen(first + 1_000_000_000L)
        .setVerdict(verdict)
        .setFinal$(true)
        .build();
  }

  private static Alert alert(String conversation, long first) {
    return Alert.newBuilder()
        .setId("a1")
        .setType(AlertType.ONE_WAY)
        .setSeverity(Severity.CRITICAL)
        .setStatus(AlertStatus.FIRING)
        .setFirstSeen(first)
        .setLastSeen(first)
        .setSubject(
            AlertSubject.newBuilder().setKind("FLOW").setConversationId(conversation).build())
        .setLostAt(
            LostAt.newBuilder()
                .setAfter("node-b/ens33")
                .setBefore("node-b/flannel.1")
                .setDirection("forward")
                .build())
        .setEvidence(Evidence.newBuilder().build())
        .build();
  }

  @Test
  void queryPrintsATable() {
    CliRun run =
        CliRun.run(
            "query",
            "--store",
            store.toString(),
            "select verdict, count(*) as n from flows group" + " by 1 order by 1");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().lines().toList())
        .containsExactly("verdict  n", "-------  -", "OK       1", "ONE_WAY  1", "(2 rows)");
  }

  @Test
  void queryPrintsJsonLinesAndCsv() {
    CliRun json =
        CliRun.run(
            "query",
            "--store",
            store.toString(),
            "--format",
            "json",
            "select conversation_id, first_seen, tuples from flows order by 1");
    assertThat(json.exitCode()).as(json.err()).isZero();
    List<JsonNode> rows = json.jsonLines();
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).path("first_seen").asText()).isEqualTo("2026-12-04T13:10:00Z");
    assertThat(rows.get(0).path("tuples").get(0).asText())
        .isEqualTo("6 10.244.0.2:40011 > 10.244.1.2:8080");
    CliRun csv =
        CliRun.run(
            "query", "--store", store.toString(), "--format", "csv", "select 'a,b' as x, 1 as y");
    assertThat(csv.out().lines().toList()).containsExactly("x,y", "\"a,b\",1");
  }

  @Test
  void sqlErrorsAreOneLineWithExitCode2() {
    CliRun run = CliRun.run("query", "--store", store.toString(), "select nope from flows");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip())
        .doesNotContain("\n")
        .startsWith("hoptrace query: error: Binder Error")
        .contains("nope");
  }

  @Test
  void flowsJsonCarriesTheLostAtHops() {
    CliRun run =
        CliRun.run(
            "flows",
            "--store",
            store.toString(),
            "--dst",
            "10.244.1.0/24",
            "--verdict",
            "one_way",
            "--format",
            "json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    List<JsonNode> rows = run.jsonLines();
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).path("conversation_id").asText()).isEqualTo("blocked");
    assertThat(rows.get(0).path("lostAt").path("after").asText()).isEqualTo("node-b/ens33");
    assertThat(rows.get(0).path("lostAt").path("before").asText()).isEqualTo("node-b/flannel.1");
    CliRun table = CliRun.run("flows", "--store", store.toString(), "--port", "8080");
    assertThat(table.out())
        .contains("node-b/ens33 -> node-b/flannel.1 (forward)")
        .contains("(2 rows)");
  }

  @ParameterizedTest
  @CsvSource({
    "flows --dst pod-b1, --dst 'pod-b1': not an IP address",
    "flows --port 70000, --port 70000: must be 0..65535",
    "flows --since yesterday, --since 'yesterday': not a time",
    "flows --lost-at ens33, --lost-at 'ens33': not a hop id",
    "flows --limit 0, --limit 0: must be >= 1",
    "flows --since 1h --until 2h, --since/--until: since",
  })
  void badFilterValuesAreOneLineNamingTheOption(String args, String message) {
    List<String> a = new java.util.ArrayList<>(List.of(args.split(" ")));
    a.addAll(List.of("--store", store.toString()));
    CliRun run = CliRun.run(a.toArray(String[]::new));
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).doesNotContain("\n").contains(message);
  }

  @Test
  void aMissingStoreIsNamed() {
    CliRun run = CliRun.run("flows", "--store", store.resolve("nope").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).endsWith(store.resolve("nope") + ": no such directory");
  }

  @ParameterizedTest
  @CsvSource({
    "analyze --store STORE --retention-days -1 /nonexistent/manifest.json, --retention-days -1:",
    "analyze --retention-days 3 /nonexistent/manifest.json, --retention-days: needs --store",
    "demo --store FILE --recordings /nonexistent, not a directory",
  })
  void storeOptionsAreCheckedBeforeAnythingStarts(String args, String message) throws Exception {
    Path file = java.nio.file.Files.writeString(store.resolve("a-file"), "x");
    String[] a =
        args.replace("STORE", store.toString()).replace("FILE", file.toString()).split(" ");
    CliRun run = CliRun.run(a);
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).doesNotContain("\n").contains(message);
  }
}
