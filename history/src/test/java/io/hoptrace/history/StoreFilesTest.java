package io.hoptrace.history;

import static io.hoptrace.history.Records.SECOND;
import static io.hoptrace.history.Records.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.history.PartBatch.TempFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Crash safety of the store's files (commit records, recovery), the lock and the retention. */
class StoreFilesTest {
  private static final TopicPartition FLOWS = new TopicPartition("hoptrace.flows", 0);

  @TempDir Path store;

  private long flowCount() {
    try (StoreQuery q = StoreQuery.open(store)) {
      return (Long) q.sql("select count(*) from flow_records").rows().get(0).get(0);
    }
  }

  private List<Path> files(String suffix) throws Exception {
    try (Stream<Path> s = Files.walk(store)) {
      return s.filter(p -> p.toString().endsWith(suffix)).toList();
    }
  }

  @Test
  void aFlushPublishesTheBatchThenHandsOverItsOffsets() throws Exception {
    List<Map<TopicPartition, Long>> committed = new ArrayList<>();
    try (StoreFiles f = StoreFiles.open(store)) {
      f.add(Records.flow("c1", "10.244.0.2", "10.244.1.2", T0, "OK"));
      f.add(Records.flow("c2", "10.244.0.2", "10.244.1.2", T0, "OK"));
      int n =
          f.flush(
              "cluster",
              Map.of(FLOWS, 2L),
              (c, o) -> {
                assertThat(flowCount()).as("visible before the offsets are committed").isEqualTo(2);
                committed.add(o);
              });
      assertThat(n).isEqualTo(2);
      assertThat(f.pending()).isZero();
    }
    assertThat(committed).containsExactly(Map.of(FLOWS, 2L));
    assertThat(files(".tmp")).isEmpty();
    assertThat(files(".commit")).isEmpty();
  }

  @Test
  void recoveryFinishesACommittedBatchOnceAndDropsAnUncommittedOne() throws Exception {
    // a writer that died after its commit record was durable, before the renames
    PartBatch committed = new PartBatch();
    committed.add(Records.flow("c1", "10.244.0.2", "10.244.1.2", T0, "OK"));
    List<TempFile> done = committed.writeTemp(new StoreLayout(store));
    new CommitLog(new StoreLayout(store))
        .write(new CommitLog.Commit("k1", done, Map.of(FLOWS, 7L)));
    committed.close();
    // ... and the next batch, written but never committed
    PartBatch lost = new PartBatch();
    lost.add(Records.flow("c2", "10.244.0.2", "10.244.1.2", T0 + SECOND, "OK"));
    lost.writeTemp(new StoreLayout(store));
    lost.close();
    assertThat(files(".tmp")).hasSize(4);
    assertThat(flowCount()).as("temporary files are never in the views").isZero();

    Map<String, Map<TopicPartition, Long>> offsets = new HashMap<>();
    try (StoreFiles f = StoreFiles.open(store)) {
      f.recover(offsets::put);
      f.recover((c, o) -> offsets.put("again", o)); // a second recovery has nothing left to do
    }
    assertThat(offsets).isEqualTo(Map.of("k1", Map.of(FLOWS, 7L)));
    assertThat(files(".tmp")).isEmpty();
    assertThat(files(".commit")).isEmpty();
    try (StoreQuery q = StoreQuery.open(store)) {
      assertThat(q.sql("select conversation_id from flow_records").rows())
          .containsExactly(List.of("c1"));
    }
  }

  @Test
  void oneWriterPerStore() throws Exception {
    try (StoreFiles f = StoreFiles.open(store)) {
      assertThatThrownBy(() -> StoreFiles.open(store))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("another writer");
    }
  }

  @Test
  void retentionRemovesWholeHourPartitions() throws Exception {
    long day = 24 * 3600 * SECOND;
    try (StoreFiles f = StoreFiles.open(store)) {
      f.add(Records.flow("old", "10.244.0.2", "10.244.1.2", T0 - 3 * day, "OK"));
      f.add(Records.flow("new", "10.244.0.2", "10.244.1.2", T0, "OK"));
      f.flush();
      long now = T0 / 1_000_000L + 3600_000L;
      assertThat(f.dropOlderThan(2, now)).isEqualTo(2); // flows and flow_hops of that hour
      assertThat(f.dropOlderThan(2, now)).isZero();
    }
    assertThat(Files.exists(store.resolve("flows/date=2026-12-01"))).isFalse();
    try (StoreQuery q = StoreQuery.open(store)) {
      assertThat(q.sql("select conversation_id from flows").rows()).containsExactly(List.of("new"));
    }
  }

  private static final long HOUR_MS = 3_600_000L;

  /** Three batches in the hour of T0, each its own file per dataset. */
  private void writeThreeBatches(StoreFiles f) throws Exception {
    String[] dst = {"10.244.9.1", "10.244.1.1", "10.244.5.1"};
    for (int b = 0; b < 3; b++) {
      f.add(Records.flow("c" + b, "10.244.0.2", dst[b], T0 + b * SECOND, "OK"));
      f.add(Records.flow("d" + b, "10.244.0.3", "fd00::" + (b + 1), T0 + b * SECOND, "OK"));
      f.flush();
    }
  }

  private List<Object> flowIdsInFileOrder() throws Exception {
    List<Path> parquet =
        files(".parquet").stream().filter(p -> p.toString().contains("/flows/")).toList();
    assertThat(parquet).hasSize(1);
    try (StoreQuery q = StoreQuery.open(store)) {
      QueryResult r =
          q.sql(
              "select conversation_id from read_parquet('"
                  + parquet.get(0)
                  + "', hive_partitioning = false)");
      return r.rows().stream().map(row -> row.get(0)).toList();
    }
  }

  @Test
  void compactionMergesASettledHourIntoOneSortedFile() throws Exception {
    long hourEnd = Math.floorDiv(T0 / 1_000_000, HOUR_MS) * HOUR_MS + HOUR_MS;
    try (StoreFiles f = StoreFiles.open(store)) {
      writeThreeBatches(f);
      assertThat(f.compact(hourEnd + (Compaction.SETTLE_MINUTES - 1) * 60_000L, 10))
          .as("not settled yet")
          .isZero();
      assertThat(files(".parquet")).hasSize(6);
      assertThat(f.compact(hourEnd + Compaction.SETTLE_MINUTES * 60_000L, 10)).isEqualTo(1);
      assertThat(f.compact(hourEnd + Compaction.SETTLE_MINUTES * 60_000L, 10))
          .as("nothing left to merge")
          .isZero();
    }
    assertThat(flowIdsInFileOrder()).containsExactly("c1", "c2", "c0", "d0", "d1", "d2");
    assertThat(files(".parquet").stream().filter(p -> p.toString().contains("/flow_hops/")))
        .hasSize(3);
    assertThat(flowCount()).isEqualTo(6);
    assertThat(files(".tmp")).isEmpty();
    assertThat(files(".commit")).isEmpty();
  }

  @Test
  void aCompactionCutShortIsFinishedOrUndoneByRecovery() throws Exception {
    Path hour;
    try (StoreFiles f = StoreFiles.open(store)) {
      writeThreeBatches(f);
      hour = f.layout().hourPartitions(Dataset.FLOWS).values().iterator().next();
      Compaction c = new Compaction(f.layout(), new CommitLog(f.layout()));
      // crash after the commit record: the merged file is still a temporary file
      c.prepare(Dataset.FLOWS, hour, StoreLayout.parquetFiles(hour));
      assertThat(StoreLayout.parquetFiles(hour)).hasSize(3);
      assertThat(flowCount()).isEqualTo(6);
    }
    try (StoreFiles f = StoreFiles.open(store)) {
      f.recover((c, o) -> {});
    }
    assertThat(StoreLayout.parquetFiles(hour)).hasSize(1);
    assertThat(flowCount()).isEqualTo(6);
    assertThat(files(".tmp")).isEmpty();
    assertThat(files(".commit")).isEmpty();

    // crash while the merged file was written (no commit record): recovery deletes it
    try (StoreFiles f = StoreFiles.open(store)) {
      f.add(Records.flow("late", "10.244.0.2", "10.244.3.3", T0 + 9 * SECOND, "OK"));
      f.flush();
      List<Path> parts = StoreLayout.parquetFiles(hour);
      assertThat(parts).hasSize(2);
      Compaction.writeMerged(Dataset.FLOWS, parts, hour.resolve("part-x.parquet.tmp"));
    }
    try (StoreFiles f = StoreFiles.open(store)) {
      f.recover((c, o) -> {});
    }
    assertThat(StoreLayout.parquetFiles(hour)).hasSize(2);
    assertThat(files(".tmp")).isEmpty();
    assertThat(flowCount()).isEqualTo(7);
  }
}
