package io.hoptrace.history;

import static io.hoptrace.history.Records.SECOND;
import static io.hoptrace.history.Records.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.FlowRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The query views over files written by {@link StoreFiles} from hand-made records. */
class StoreQueryTest {
  private static final long HOUR = 3600 * SECOND;

  @TempDir Path store;

  private void write(Object... records) throws Exception {
    try (StoreFiles f = StoreFiles.open(store)) {
      f.recover((c, o) -> {});
      for (Object r : records) {
        if (r instanceof io.hoptrace.schema.FlowRecord fr) {
          f.add(fr);
        } else if (r instanceof io.hoptrace.schema.Incident i) {
          f.add(i);
        } else {
          f.add((io.hoptrace.schema.Alert) r);
        }
      }
      f.flush();
    }
  }

  private static List<Object> column(QueryResult r, String name) {
    return r.rows().stream().map(row -> r.value(row, name)).toList();
  }

  @Test
  void filesAreHivePartitionedByTheHourOfFirstSeen() throws Exception {
    write(
        Records.flow("c1", "10.244.0.2", "10.244.1.2", T0, "OK"),
        Records.flow("c2", "10.244.0.2", "10.244.1.2", T0 + HOUR, "OK"));
    try (Stream<Path> s = Files.walk(store)) {
      List<String> files =
          s.filter(Files::isRegularFile)
              .map(p -> store.relativize(p).toString())
              .filter(p -> p.endsWith(".parquet"))
              .sorted()
              .toList();
      assertThat(files)
          .hasSize(4) // flows and flow_hops, two hours each
          .anyMatch(p -> p.matches("flows/date=2026-12-04/hour=13/part-[0-9a-f-]{36}\\.parquet"))
          .anyMatch(p -> p.matches("flows/date=2026-12-04/hour=14/part-.*\\.parquet"))
          .anyMatch(p -> p.matches("flow_hops/date=2026-12-04/hour=13/part-.*\\.parquet"));
    }
    try (StoreQuery q = StoreQuery.open(store)) {
      QueryResult r = q.sql("select conversation_id, date, hour from flows order by 1");
      assertThat(column(r, "hour")).containsExactly(13, 14);
      assertThat(column(r, "date")).containsExactly("2026-12-04", "2026-12-04");
    }
  }

  @Test
  void flowsViewKeepsOneRowPerConversationWithTheLostAtOfItsAlert() throws Exception {
    write(
        Records.flow("c1", "10.244.0.2", "10.244.1.2", 6, 8080, T0, "PENDING", false),
        Records.flow("c1", "10.244.0.2", "10.244.1.2", 6, 8080, T0, "ONE_WAY", true),
        Records.flow("open", "10.244.0.3", "10.244.1.3", 6, 80, T0, "OK", false),
        Records.oneWay("a1", "c1", T0, AlertStatus.FIRING),
        Records.oneWay("a1", "c1", T0, AlertStatus.RESOLVED));
    try (StoreQuery q = StoreQuery.open(store)) {
      assertThat(q.sql("select count(*) as n from flow_records").rows())
          .containsExactly(List.of(3L));
      QueryResult r =
          q.sql(
              "select conversation_id, verdict, final, lost_after, lost_before from flows order by 1");
      assertThat(r.rows())
          .containsExactly(
              List.of("c1", "ONE_WAY", true, "node-b/ens33", "node-b/flannel.1"),
              java.util.Arrays.asList("open", "OK", false, null, null));
      assertThat(q.sql("select id, status from alerts").rows())
          .containsExactly(List.of("a1", "RESOLVED"));
      assertThat(q.sql("select count(*) from alert_records").rows()).containsExactly(List.of(2L));
      // hops of the chosen versions only: 2 conversations x 3 hops x 2 directions
      QueryResult hops =
          q.sql(
              "select hop, direction, packets from flow_hops where conversation_id = 'c1'"
                  + " order by hop_index, direction");
      assertThat(hops.rows()).hasSize(6);
      assertThat(hops.rows().get(0)).containsExactly("node-a/pod-a1/eth0", "forward", 3L);
      assertThat(q.sql("select count(*) from flow_hops").rows()).containsExactly(List.of(12L));
    }
  }

  @Test
  void incidentsViewKeepsEachIncidentAsItLastStood() throws Exception {
    List<String> one = List.of("a1");
    List<String> two = List.of("a1", "a2");
    write(
        Records.incident("i1", T0, T0 + SECOND, AlertStatus.FIRING, one, 1),
        Records.incident("i1", T0, T0 + 2 * SECOND, AlertStatus.FIRING, two, 2),
        Records.incident("i1", T0, T0 + 2 * SECOND, AlertStatus.RESOLVED, two, 0),
        // re-opened within the linger by an alert that had started earlier: a new partition
        Records.incident(
            "i1", T0 - HOUR, T0 + 2 * SECOND, AlertStatus.FIRING, List.of("a0", "a1", "a2"), 1),
        Records.incident("i2", T0, T0 + 5 * SECOND, AlertStatus.FIRING, List.of("b1"), 1),
        Records.incident("i2", T0, T0 + 5 * SECOND, AlertStatus.RESOLVED, List.of("b1"), 0));
    try (Stream<Path> files = Files.walk(store.resolve("incidents"))) {
      assertThat(files.filter(p -> p.toString().endsWith(".parquet")))
          .as("incident files, Hive-partitioned by the hour of first_seen")
          .anyMatch(p -> p.toString().contains("date=2026-12-04/hour=13/part-"))
          .anyMatch(p -> p.toString().contains("date=2026-12-04/hour=12/part-"));
    }
    try (StoreQuery q = StoreQuery.open(store)) {
      assertThat(q.sql("select count(*) from incident_records").rows())
          .containsExactly(List.of(6L));
      QueryResult r =
          q.sql(
              "select id, status, alert_ids, firing_alert_ids, lost_after, lost_before, cause_kind"
                  + " from incidents order by id");
      assertThat(r.rows())
          .containsExactly(
              List.of(
                  "i1",
                  "FIRING",
                  List.of("a0", "a1", "a2"),
                  List.of("a2"),
                  "node-b/ens33",
                  "node-b/flannel.1",
                  "SEGMENT"),
              List.of(
                  "i2",
                  "RESOLVED",
                  List.of("b1"),
                  List.of(),
                  "node-b/ens33",
                  "node-b/flannel.1",
                  "SEGMENT"));
      QueryResult firing = q.sql(new IncidentFilter().status("firing").sql());
      assertThat(column(firing, "id")).containsExactly("i1");
      assertThat(firing.columns()).containsExactlyElementsOf(IncidentFilter.COLUMNS);
      Instant later = Instant.ofEpochSecond(0, T0 + 3 * SECOND);
      assertThat(column(q.sql(new IncidentFilter().since(later).sql()), "id"))
          .containsExactly("i2");
      assertThat(column(q.sql(new IncidentFilter().limit(1).sql()), "id")).containsExactly("i2");
    }
  }

  @Test
  void aLongFlowIsFoundSinceAnyTimeItWasActive() throws Exception {
    FlowRecord longFlow =
        FlowRecord.newBuilder(Records.flow("long", "10.244.0.2", "10.244.1.2", T0 - 3 * HOUR, "OK"))
            .setLastSeen(T0 + HOUR)
            .build();
    write(longFlow, Records.flow("short", "10.244.0.2", "10.244.1.2", T0 - 3 * HOUR, "OK"));
    assertThat(new StoreLayout(store).maxFlowSpanNanos()).isEqualTo(4 * HOUR);
    try (StoreQuery q = StoreQuery.open(store)) {
      Instant t0 = Instant.ofEpochSecond(0, T0);
      assertThat(ids(q, new FlowFilter().since(t0).until(t0.plusSeconds(60))))
          .containsExactly("long");
    }
  }

  @Test
  void aFlowKeySeenAgainIsAnotherConversationWithItsOwnLostAt() throws Exception {
    long later = T0 + 10 * 60 * SECOND;
    write(
        Records.flow("k", "10.244.0.2", "10.244.1.2", T0, "ONE_WAY"),
        Records.flow("k", "10.244.0.2", "10.244.1.2", 6, 8080, later, "ONE_WAY", false),
        Records.flow("k", "10.244.0.2", "10.244.1.2", 6, 8080, later, "ONE_WAY", true),
        Records.oneWay("a1", "k", T0, AlertStatus.FIRING),
        Records.oneWay("a2", "k", later, AlertStatus.FIRING, "node-a/ens33", "node-b/ens33"));
    try (StoreQuery q = StoreQuery.open(store)) {
      QueryResult r = q.sql("select final, lost_after, lost_before from flows order by first_seen");
      assertThat(r.rows())
          .containsExactly(
              List.of(true, "node-b/ens33", "node-b/flannel.1"),
              List.of(true, "node-a/ens33", "node-b/ens33"));
    }
  }

  @Test
  void anEmptyStoreGivesEmptyViews() throws Exception {
    try (StoreQuery q = StoreQuery.open(store)) {
      for (String v :
          List.of(
              "flows",
              "alerts",
              "incidents",
              "flow_hops",
              "flow_records",
              "alert_records",
              "incident_records")) {
        assertThat(q.sql("select count(*) from " + v).rows()).as(v).containsExactly(List.of(0L));
      }
      assertThat(q.sql("select verdict, count(*) from flows group by 1").rows()).isEmpty();
      assertThat(q.flows(new FlowFilter().dst("10.244.1.2")).columns())
          .containsExactlyElementsOf(FlowFilter.COLUMNS);
    }
  }

  @Test
  void sqlErrorsComeBackOnOneLine() throws Exception {
    try (StoreQuery q = StoreQuery.open(store)) {
      assertThatThrownBy(() -> q.sql("select nope from flows"))
          .isInstanceOf(QueryException.class)
          .hasMessageContaining("nope")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("LINE"));
      assertThatThrownBy(() -> q.sql("selec 1"))
          .isInstanceOf(QueryException.class)
          .hasMessageStartingWith("Parser Error")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
      // the connection survives a failed statement
      assertThat(q.sql("select 1 as one").rows()).containsExactly(List.of(1));
    }
  }

  @Test
  void aStatementCreatesOnlyTheViewsItNames() throws Exception {
    write(
        Records.flow("c1", "10.244.0.2", "10.244.1.2", T0, "ONE_WAY"),
        Records.oneWay("a1", "c1", T0, AlertStatus.FIRING));
    try (StoreQuery q = StoreQuery.open(store)) {
      assertThat(q.createdViews()).isEmpty();
      assertThat(q.flows(new FlowFilter().dst("10.244.1.2")).rows()).hasSize(1);
      assertThat(q.createdViews())
          .containsExactlyInAnyOrder(
              "flows", "final_flow_records", "flow_update_records", "alert_records");
      assertThat(q.sql("select count(*) from ALERTS").rows()).containsExactly(List.of(1L));
      assertThat(q.createdViews()).contains("alerts").doesNotContain("incidents", "flow_hops");
      // a statement naming no view may be looking for them: it gets all
      assertThat(q.sql("select view_name from duckdb_views() where not internal").rows())
          .hasSize(10);
      assertThat(q.createdViews()).hasSize(10);
    }
  }

  @Test
  void aMissingStoreIsNamed() {
    Path missing = store.resolve("nope");
    assertThatThrownBy(() -> StoreQuery.open(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("store " + missing + ": no such directory");
  }

  @Test
  void typedFiltersAnswerTheCommonQuestions() throws Exception {
    write(
        Records.flow("ping", "10.244.0.2", "10.244.1.2", 1, -1, T0, "ONE_WAY", true),
        Records.flow("tcp", "10.244.0.2", "10.244.1.2", 6, 8080, T0 + SECOND, "ONE_WAY", true),
        Records.flow("ok", "10.244.0.2", "10.244.1.9", 6, 443, T0 + 2 * SECOND, "OK", true),
        Records.flow("other", "10.0.0.1", "10.244.2.2", 17, 53, T0 + 2 * HOUR, "OK", true),
        Records.flow("v6", "fd00::1", "fd00::2", 6, 80, T0, "OK", true),
        Records.oneWay("a-ping", "ping", T0, AlertStatus.FIRING),
        Records.oneWay("a-tcp", "tcp", T0 + SECOND, AlertStatus.FIRING));
    try (StoreQuery q = StoreQuery.open(store)) {
      assertThat(ids(q, new FlowFilter().dst("10.244.1.2"))).containsExactly("tcp", "ping");
      assertThat(ids(q, new FlowFilter().dst("10.244.1.0/24")))
          .containsExactly("ok", "tcp", "ping");
      assertThat(ids(q, new FlowFilter().src("10.0.0.0/24").verdict("ok")))
          .containsExactly("other");
      assertThat(ids(q, new FlowFilter().port(8080))).containsExactly("tcp");
      assertThat(ids(q, new FlowFilter().verdict("one_way"))).containsExactly("tcp", "ping");
      assertThat(ids(q, new FlowFilter().lostAt("node-b/flannel.1")))
          .containsExactly("tcp", "ping");
      assertThat(ids(q, new FlowFilter().dst("fd00::2"))).containsExactly("v6");
      Instant t0 = Instant.ofEpochSecond(0, T0);
      assertThat(ids(q, new FlowFilter().since(t0.plusSeconds(3600)))).containsExactly("other");
      assertThat(ids(q, new FlowFilter().until(t0.plusSeconds(1)).src("10.244.0.2")))
          .containsExactly("tcp", "ping");
      assertThat(ids(q, new FlowFilter().limit(2))).hasSize(2);
      QueryResult r = q.flows(new FlowFilter().dst("10.244.1.2").port(8080));
      assertThat(r.value(r.rows().get(0), "lost_after")).isEqualTo("node-b/ens33");
      assertThat(r.value(r.rows().get(0), "hop_path"))
          .isEqualTo(List.of("node-a/pod-a1/eth0", "node-a/ens33", "node-b/ens33"));
      assertThat(r.value(r.rows().get(0), "first_seen"))
          .isEqualTo(Instant.ofEpochSecond(0, T0 + SECOND));
    }
  }

  @Test
  void addressFiltersMatchEitherTupleOfANatedFlowOnce() throws Exception {
    FlowRecord nated =
        FlowRecord.newBuilder(Records.flow("nat", "10.244.0.2", "10.96.0.10", T0, "OK"))
            .setTuples(
                List.of(
                    io.hoptrace.schema.FiveTuple.newBuilder()
                        .setIpVersion(4)
                        .setSrc("10.244.0.2")
                        .setDst("10.96.0.10")
                        .setProto(6)
                        .setSport(40000)
                        .setDport(80)
                        .build(),
                    io.hoptrace.schema.FiveTuple.newBuilder()
                        .setIpVersion(4)
                        .setSrc("10.244.0.2")
                        .setDst("10.244.1.7")
                        .setProto(6)
                        .setSport(40000)
                        .setDport(8080)
                        .build()))
            .build();
    write(nated, Records.flow("plain", "10.244.0.2", "10.244.1.7", T0 + SECOND, "OK"));
    try (StoreQuery q = StoreQuery.open(store)) {
      assertThat(ids(q, new FlowFilter().dst("10.96.0.10"))).containsExactly("nat");
      assertThat(ids(q, new FlowFilter().dst("10.244.1.7"))).containsExactly("plain", "nat");
      assertThat(ids(q, new FlowFilter().dst("10.0.0.0/8"))).containsExactly("plain", "nat");
      assertThat(ids(q, new FlowFilter().src("10.244.0.2").dst("10.244.1.0/24").limit(1)))
          .containsExactly("plain");
      assertThat(ids(q, new FlowFilter().src("10.244.0.0/16").dst("10.96.0.0/12").port(8080)))
          .containsExactly("nat");
    }
  }

  @Test
  void queriesNotAskingForTheLostAtSegmentDoNotJoinTheAlerts() throws Exception {
    write(
        Records.flow("c1", "10.244.0.2", "10.244.1.2", T0, "ONE_WAY"),
        Records.oneWay("a1", "c1", T0, AlertStatus.FIRING));
    try (StoreQuery q = StoreQuery.open(store)) {
      String counts = plan(q, "select verdict, count(*) from flows group by 1");
      assertThat(counts).doesNotContainIgnoringCase("join").doesNotContain("conversation_id");
      assertThat(plan(q, "select verdict, lost_after from flows")).containsIgnoringCase("join");
    }
  }

  private static String plan(StoreQuery q, String sql) {
    return q.sql("explain " + sql).rows().stream()
        .map(r -> String.valueOf(r.get(r.size() - 1)))
        .reduce("", String::concat);
  }

  @Test
  void flowFilesAreSortedByDestination() throws Exception {
    write(
        Records.flow("c", "10.244.0.2", "10.244.9.1", T0, "OK"),
        Records.flow("a", "10.244.0.2", "10.244.1.1", T0 + SECOND, "OK"),
        Records.flow("v6", "fd00::1", "fd00::2", T0 + SECOND, "OK"),
        Records.flow("b", "10.244.0.2", "10.244.2.1", T0 + 2 * SECOND, "OK"));
    try (StoreQuery q = StoreQuery.open(store);
        Stream<Path> s = Files.walk(store.resolve("flows"))) {
      Path file = s.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
      String read = "read_parquet('" + file + "', hive_partitioning = false)";
      assertThat(column(q.sql("select conversation_id from " + read), "conversation_id"))
          .containsExactly("a", "b", "c", "v6");
    }
  }

  private static List<Object> ids(StoreQuery q, FlowFilter f) {
    return column(q.flows(f), "conversation_id");
  }
}
