package io.hoptrace.flink;

import io.hoptrace.history.Dataset;
import io.hoptrace.history.QueryResult;
import io.hoptrace.history.StoreLayout;
import io.hoptrace.history.StoreQuery;
import io.hoptrace.replay.Analysis;
import io.hoptrace.schema.FlowRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Waits for and reads the job's flow store ({@link FlowStoreSink}) in ITs. */
final class StoreChecks {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private StoreChecks() {}

  /**
   * Waits until the store's raw views hold as many final flows, alert records and incident records
   * as the job committed to Kafka ({@code r}, read {@code read_committed}) and, when {@code
   * noneInProgress}, no in-progress part is left: the FileSink commits a checkpoint's parts when
   * the checkpoint completes, which may come after the Kafka sink's transaction of the same
   * checkpoint was committed. Gives up after a minute, saying what it saw last.
   */
  static void awaitStored(Path store, Analysis.Result r, boolean noneInProgress) throws Exception {
    String want =
        finals(r).size()
            + " final flows, "
            + r.alertRecords().size()
            + " alert records, "
            + r.incidentRecords().size()
            + " incident records";
    long deadline = System.nanoTime() + WAIT.toNanos();
    String last = "no flows file";
    while (System.nanoTime() < deadline) {
      if (new StoreLayout(store).hasFiles(Dataset.FLOWS)) {
        try (StoreQuery q = StoreQuery.open(store)) {
          String seen =
              count(q, "final_flow_records")
                  + " final flows, "
                  + count(q, "alert_records")
                  + " alert records, "
                  + count(q, "incident_records")
                  + " incident records";
          List<Path> hidden = inProgress(store);
          last = seen + ", " + hidden.size() + " in-progress file(s)";
          if (seen.equals(want) && (!noneInProgress || hidden.isEmpty())) {
            return;
          }
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("waited " + WAIT + " for " + want + ": " + last);
  }

  /** The conversation ids of the final flow records, sorted. */
  static List<String> finals(Analysis.Result r) {
    return r.flowRecords().stream()
        .filter(FlowRecord::getFinal$)
        .map(FlowRecord::getConversationId)
        .sorted()
        .toList();
  }

  private static long count(StoreQuery q, String view) {
    return ((Number) q.sql("select count(*) from " + view).rows().get(0).get(0)).longValue();
  }

  /** The FileSink's in-progress (hidden) part files under the store. */
  static List<Path> inProgress(Path store) throws Exception {
    if (!Files.isDirectory(store)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(store)) {
      return s.filter(p -> p.getFileName().toString().startsWith(".part-")).toList();
    }
  }

  /** The first column of an answer. */
  static List<Object> column(QueryResult r) {
    List<Object> out = new ArrayList<>();
    for (List<Object> row : r.rows()) {
      out.add(row.get(0));
    }
    return out;
  }
}
