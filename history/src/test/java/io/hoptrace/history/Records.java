package io.hoptrace.history;

import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.AlertSubject;
import io.hoptrace.schema.AlertType;
import io.hoptrace.schema.Evidence;
import io.hoptrace.schema.FiveTuple;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.HopStats;
import io.hoptrace.schema.Incident;
import io.hoptrace.schema.InterfaceRole;
import io.hoptrace.schema.LostAt;
import io.hoptrace.schema.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Hand-made flow, alert and incident records for the store's tests (and, through this module's
 * test-jar, the Flink store's).
 */
public final class Records {
  /** 2026-12-04T13:10:00Z in ns. */
  public static final long T0 = Instant.parse("2026-12-04T13:10:00Z").toEpochMilli() * 1_000_000L;

  public static final long SECOND = 1_000_000_000L;

  private Records() {}

  public static FlowRecord flow(
      String id,
      String src,
      String dst,
      int proto,
      int dport,
      long first,
      String verdict,
      boolean fin) {
    return FlowRecord.newBuilder()
        .setConversationId(id)
        .setTuples(
            List.of(
                FiveTuple.newBuilder()
                    .setIpVersion(src.contains(":") ? 6 : 4)
                    .setSrc(src)
                    .setDst(dst)
                    .setProto(proto)
                    .setSport(proto == 1 ? -1 : 40000)
                    .setDport(proto == 1 ? -1 : dport)
                    .build()))
        .setCommunityIds(List.of("1:abc"))
        .setHops(
            List.of(
                hop("node-a/pod-a1/eth0", "node-a", InterfaceRole.POD, 3, 0),
                hop("node-a/ens33", "node-a", InterfaceRole.UPLINK, 3, 0),
                hop("node-b/ens33", "node-b", InterfaceRole.UPLINK, 3, 0)))
        .setFirstSeen(first)
        .setLastSeen(first + 2 * SECOND)
        .setTcpState(null)
        .setVerdict(verdict)
        .setFinal$(fin)
        .build();
  }

  public static FlowRecord flow(String id, String src, String dst, long first, String verdict) {
    return flow(id, src, dst, 6, 8080, first, verdict, true);
  }

  private static HopStats hop(String hop, String node, InterfaceRole role, long fwd, long rev) {
    return HopStats.newBuilder()
        .setHop(hop)
        .setNode(node)
        .setRole(role)
        .setFwdPackets(fwd)
        .setFwdBytes(fwd * 100)
        .setRevPackets(rev)
        .setRevBytes(rev * 100)
        .build();
  }

  public static Alert oneWay(String id, String conversation, long first, AlertStatus status) {
    return oneWay(id, conversation, first, status, "node-b/ens33", "node-b/flannel.1");
  }

  public static Alert oneWay(
      String id, String conversation, long first, AlertStatus status, String after, String before) {
    return Alert.newBuilder()
        .setId(id)
        .setType(AlertType.ONE_WAY)
        .setSeverity(Severity.CRITICAL)
        .setStatus(status)
        .setFirstSeen(first)
        .setLastSeen(first + (status == AlertStatus.RESOLVED ? 5 : 1) * SECOND)
        .setSubject(
            AlertSubject.newBuilder()
                .setKind("FLOW")
                .setSrc("10.244.0.2")
                .setDst("10.244.1.2")
                .setProto(6)
                .setDport(8080)
                .setConversationId(conversation)
                .build())
        .setLostAt(
            LostAt.newBuilder().setAfter(after).setBefore(before).setDirection("forward").build())
        .setCount(3)
        .setHint("VXLAN port 8472/udp blocked between nodes")
        .setEvidence(
            Evidence.newBuilder()
                .setHopsSeen(List.of("node-a/ens33", "node-b/ens33"))
                .setHopsMissing(List.of("node-b/flannel.1"))
                .setCounts(Map.of("forwardPackets", 3L))
                .setFacts(Map.of("reporter", "node-b"))
                .setSamples(List.of())
                .build())
        .setCommunityIds(List.of("1:abc"))
        .build();
  }

  /** An incident of the segment node-b/ens33 > node-b/flannel.1 explaining {@code alertIds}. */
  public static Incident incident(
      String id, long first, long last, AlertStatus status, List<String> alertIds, int firing) {
    return Incident.newBuilder()
        .setId(id)
        .setStatus(status)
        .setCauseKind("SEGMENT")
        .setCauseKey("node-b/ens33>node-b/flannel.1")
        .setCause("host firewall on node-b drops 8472/udp")
        .setSeverity(Severity.CRITICAL)
        .setLostAt(
            LostAt.newBuilder()
                .setAfter("node-b/ens33")
                .setBefore("node-b/flannel.1")
                .setDirection("forward")
                .build())
        .setAlertIds(alertIds)
        .setAlertTypes(alertIds.stream().map(a -> "ONE_WAY").toList())
        .setFiringAlertIds(alertIds.subList(alertIds.size() - firing, alertIds.size()))
        .setFirstSeen(first)
        .setLastSeen(last)
        .build();
  }
}
