package io.hoptrace.pipeline.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.detect.DetectionStats;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.AlertSubject;
import io.hoptrace.schema.AlertType;
import io.hoptrace.schema.Evidence;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.LostAt;
import io.hoptrace.schema.Severity;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobMetricsTest {
  private final SimpleMeterRegistry reg = new SimpleMeterRegistry();
  private final JobMetrics m =
      new JobMetrics(
          reg, new DetectionStats(), InstantSource.fixed(Instant.parse("2026-12-07T00:00:00Z")));

  private static Alert alert(String id, AlertStatus status, long lostFwd, String after) {
    return Alert.newBuilder()
        .setId(id)
        .setType(AlertType.ONE_WAY)
        .setSeverity(Severity.CRITICAL)
        .setStatus(status)
        .setFirstSeen(1)
        .setLastSeen(2)
        .setSubject(AlertSubject.newBuilder().setKind("FLOW").build())
        .setLostAt(LostAt.newBuilder().setAfter(after).setBefore("node-b/flannel.1").build())
        .setEvidence(
            Evidence.newBuilder()
                .setHopsSeen(List.of())
                .setHopsMissing(List.of())
                .setCounts(Map.of("lostForward", lostFwd))
                .setFacts(Map.of())
                .setSamples(List.of())
                .build())
        .build();
  }

  @Test
  void alertsCountFiringAndLostPacketsPerSegmentWithBoundedLabels() {
    m.onAlert(alert("a", AlertStatus.FIRING, 3, "node-a/pod-a1/eth0"));
    m.onAlert(alert("b", AlertStatus.FIRING, 2, "node-a/pod-a2/eth0"));
    assertThat(reg.get(JobMetrics.FIRING).tag("type", "ONE_WAY").gauge().value()).isEqualTo(2);
    m.onAlert(alert("a", AlertStatus.RESOLVED, 5, "node-a/pod-a1/eth0"));
    assertThat(reg.get(JobMetrics.FIRING).tag("type", "ONE_WAY").gauge().value()).isEqualTo(1);
    assertThat(reg.get(JobMetrics.FIRING).tag("type", "DNS_FAILURE").gauge().value()).isZero();
    assertThat(
            reg.get(JobMetrics.ALERTS)
                .tag("type", "ONE_WAY")
                .tag("status", "FIRING")
                .counter()
                .count())
        .isEqualTo(2);
    // both pods' alerts on one series (node/pod), counted by their growth: 3 + 2 + (5 - 3)
    assertThat(reg.find(JobMetrics.LOST).counters()).hasSize(1);
    assertThat(
            reg.get(JobMetrics.LOST)
                .tag("after", "node-a/pod")
                .tag("before", "node-b/flannel.1")
                .counter()
                .count())
        .isEqualTo(7);
  }

  @Test
  void onlyFinalFlowsCount() {
    FlowRecord.Builder f =
        FlowRecord.newBuilder()
            .setConversationId("c")
            .setTuples(List.of())
            .setCommunityIds(List.of())
            .setHops(List.of())
            .setFirstSeen(1)
            .setLastSeen(2)
            .setVerdict("ONE_WAY");
    m.onFlow(f.setFinal$(false).build());
    m.onFlow(f.setFinal$(true).build());
    assertThat(reg.get(JobMetrics.FLOWS).tag("verdict", "ONE_WAY").counter().count()).isEqualTo(1);
  }

  @Test
  void segmentLabels() {
    assertThat(JobMetrics.segmentLabel("node-a/veth1234abcd")).isEqualTo("node-a/veth");
    assertThat(JobMetrics.segmentLabel("node-b/ens33")).isEqualTo("node-b/ens33");
    assertThat(JobMetrics.segmentLabel("node-b/pod-x/eth0")).isEqualTo("node-b/pod");
    assertThat(JobMetrics.segmentLabel(null)).isEqualTo("?");
  }
}
