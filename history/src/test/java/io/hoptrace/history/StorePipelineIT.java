package io.hoptrace.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.decode.DecoderConfig;
import io.hoptrace.pipeline.EmbeddedPipeline;
import io.hoptrace.replay.Analysis;
import io.hoptrace.replay.Recordings;
import io.hoptrace.schema.FlowRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vxlan-blocked recording through the real pipeline (embedded broker, Streams job) with the
 * store writer beside it: the store holds every final flow exactly once, the ONE_WAY flows with
 * their lost-at segment, every alert record and every incident record, and its incidents view shows
 * each incident as the job last reported it.
 */
class StorePipelineIT {
  @TempDir Path store;

  @Test
  void everyFinalFlowOfARecordingIsStoredOnce() throws Exception {
    Analysis.Result r;
    try (EmbeddedPipeline p = EmbeddedPipeline.builder().start()) {
      StoreWriter w =
          StoreWriter.start(
              store,
              p.bootstrapServers(),
              p.topics(),
              new StoreConfig(Map.of(StoreConfig.BATCH_SECONDS, 0.5)));
      r =
          new Analysis(p, DecoderConfig.defaults(), InstantSource.system(), Duration.ofMinutes(2))
              .run(Recordings.manifest("vxlan-blocked"), msg -> {});
      w.close();
      assertThat(w.written())
          .isEqualTo(r.flowRecords().size() + r.alertRecords().size() + r.incidentRecords().size());
      assertThat(w.undecodable()).isZero();
    }
    List<String> finals =
        r.flowRecords().stream()
            .filter(FlowRecord::getFinal$)
            .map(FlowRecord::getConversationId)
            .sorted()
            .toList();
    assertThat(finals).isNotEmpty().doesNotHaveDuplicates();
    try (StoreQuery q = StoreQuery.open(store)) {
      QueryResult stored = q.sql("select conversation_id from flow_records where final order by 1");
      assertThat(stored.rows().stream().map(row -> row.get(0)).toList())
          .containsExactlyElementsOf(finals);
      assertThat(q.sql("select count(*) from flows").rows())
          .containsExactly(List.of((long) finals.size()));
      assertThat(q.sql("select count(*) from alert_records").rows())
          .containsExactly(List.of((long) r.alertRecords().size()));
      assertThat(r.incidents()).isNotEmpty();
      assertThat(q.sql("select count(*) from incident_records").rows())
          .containsExactly(List.of((long) r.incidentRecords().size()));
      QueryResult incidents = q.sql("select id, status, alert_ids from incidents order by id");
      assertThat(incidents.rows())
          .containsExactlyElementsOf(
              r.incidents().stream()
                  .sorted(java.util.Comparator.comparing(i -> i.getId()))
                  .map(i -> List.<Object>of(i.getId(), i.getStatus().name(), i.getAlertIds()))
                  .toList());
      QueryResult blocked = q.flows(new FlowFilter().dst("10.244.1.2").verdict("ONE_WAY"));
      assertThat(blocked.rows()).hasSizeGreaterThanOrEqualTo(2);
      for (List<Object> row : blocked.rows()) {
        assertThat(blocked.value(row, "lost_after")).isEqualTo("node-b/ens33");
        assertThat(blocked.value(row, "lost_before")).isEqualTo("node-b/flannel.1");
      }
    }
  }
}
