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
}
