package io.hoptrace.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.decode.DecoderConfig;
import io.hoptrace.history.Dataset;
import io.hoptrace.history.FlowFilter;
import io.hoptrace.history.QueryResult;
import io.hoptrace.history.StoreConfig;
import io.hoptrace.history.StoreQuery;
import io.hoptrace.history.StoreWriter;
import io.hoptrace.replay.Analysis;
import io.hoptrace.replay.Recordings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vxlan-blocked recording through the Flink job (embedded broker, MiniCluster) with the job's
 * flow store on ({@link FlowStoreSink}) and, beside it, the embedded store writer reading the same
 * job's topics: once the job's last checkpoint committed its part files, the query layer ({@link
 * StoreQuery}) finds in the job's store every final flow exactly once, the ONE_WAY flows to
 * 10.244.1.2 with their lost-at segment, and in every dataset the very rows (and partitions) of the
 * embedded writer's store; no in-progress file is left.
 */
class FlowStoreIT {
  @TempDir Path dir;

  @Test
  void theJobWritesTheStoreTheEmbeddedWriterWrites() throws Exception {
    Path jobStore = dir.resolve("job");
    Path embedded = dir.resolve("embedded");
    Analysis.Result r;
    try (FlinkHost h = FlinkHost.builder().store(jobStore.toString()).start()) {
      StoreWriter w =
          StoreWriter.start(
              embedded,
              h.bootstrapServers(),
              h.topics(),
              new StoreConfig(Map.of(StoreConfig.BATCH_SECONDS, 0.5)));
      r =
          new Analysis(h, DecoderConfig.defaults(), InstantSource.system(), Duration.ofMinutes(2))
              .run(Recordings.manifest("vxlan-blocked"), msg -> {});
      w.close();
      StoreChecks.awaitStored(jobStore, r, true);
    }
    List<String> finals = StoreChecks.finals(r);
    assertThat(finals).isNotEmpty().doesNotHaveDuplicates();
    assertThat(StoreChecks.inProgress(jobStore)).as("in-progress part files left").isEmpty();
    try (StoreQuery q = StoreQuery.open(jobStore);
        StoreQuery e = StoreQuery.open(embedded)) {
      assertThat(
              StoreChecks.column(
                  q.sql("select conversation_id from flow_records where final order by 1")))
          .containsExactlyElementsOf(finals);
      assertThat(q.sql("select count(*) from alert_records").rows())
          .containsExactly(List.of((long) r.alertRecords().size()));
      assertThat(q.sql("select count(*) from incident_records").rows())
          .containsExactly(List.of((long) r.incidentRecords().size()));
      QueryResult blocked = q.flows(new FlowFilter().dst("10.244.1.2").verdict("ONE_WAY"));
      assertThat(blocked.rows()).hasSizeGreaterThanOrEqualTo(2);
      assertThat(blocked.rows().stream().map(row -> blocked.value(row, "conversation_id")))
          .doesNotHaveDuplicates();
      for (List<Object> row : blocked.rows()) {
        assertThat(blocked.value(row, "lost_after")).isEqualTo("node-b/ens33");
        assertThat(blocked.value(row, "lost_before")).isEqualTo("node-b/flannel.1");
      }
      assertThat(blocked.rows())
          .isEqualTo(e.flows(new FlowFilter().dst("10.244.1.2").verdict("ONE_WAY")).rows());
      for (Dataset d : Dataset.values()) {
        String raw = StoreQuery.raw(d);
        String rows = "select t::varchar from " + raw + " t order by 1";
        assertThat(StoreChecks.column(q.sql(rows)))
            .as(d.dir())
            .isEqualTo(StoreChecks.column(e.sql(rows)));
      }
      assertThat(StoreChecks.column(q.sql("select count(*) from flow_hop_records")).get(0))
          .isNotEqualTo(0L);
    }
  }
}
