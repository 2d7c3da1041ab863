package io.hoptrace.notify;

import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.AlertSubject;
import io.hoptrace.schema.AlertType;
import io.hoptrace.schema.Evidence;
import io.hoptrace.schema.LostAt;
import io.hoptrace.schema.Severity;
import java.util.List;
import java.util.Map;

/** Hand-made alert records for the unit tests. */
final class SampleAlerts {
  private SampleAlerts() {}

  static final long T0 = 1_764_600_000_123_456_789L;

  static Alert oneWay(String src, String dst, AlertStatus status) {
    return Alert.newBuilder()
        .setId("a1")
        .setType(AlertType.ONE_WAY)
        .setSeverity(Severity.CRITICAL)
        .setStatus(status)
        .setFirstSeen(T0)
        .setLastSeen(T0 + 3_000_000_000L)
        .setSubject(
            AlertSubject.newBuilder()
                .setKind("FLOW")
                .setSrc(src)
                .setDst(dst)
                .setProto(6)
                .setSport(40070)
                .setDport(80)
                .build())
        .setLostAt(
            LostAt.newBuilder()
                .setAfter("node-a/flannel.1")
                .setBefore("node-b/flannel.1")
                .setDirection("forward")
                .build())
        .setCount(3)
        .setHint("VXLAN leaves node-a|but = never\\reaches node-b\nline two")
        .setEvidence(
            Evidence.newBuilder()
                .setHopsSeen(List.of("node-a/pod-a1/eth0"))
                .setHopsMissing(List.of("node-b/flannel.1", "node-b/cni0"))
                .setCounts(Map.of())
                .setFacts(Map.of())
                .setSamples(List.of())
                .build())
        .setCommunityIds(List.of("1:abc="))
        .setIncidentId("i1")
        .build();
  }
}
