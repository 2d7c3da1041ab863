package io.hoptrace.serve;

import io.hoptrace.history.StoreFiles;
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
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A store written in the test: a TCP flow whose SYNs reach node-b/ens33 and go no further (as in
 * the vxlan-blocked scenario), the ONE_WAY alert about it (firing, then resolved), its incident
 * (firing, then resolved), and an answered flow between the same pods.
 */
final class BlockedFlowStore {
  static final Instant T0 = Instant.parse("2026-12-04T13:10:00Z");
  static final String BLOCKED = "6|10.244.0.2|40011|10.244.1.2|8080";
  static final String ANSWERED = "6|10.244.0.2|40012|10.244.1.2|8080";
  static final String HINT = "host firewall on node-b drops 8472/udp";
  static final List<String> PATH =
      List.of("node-a/pod-a1/eth0", "node-a/cni0", "node-a/ens33", "node-b/ens33");

  private BlockedFlowStore() {}

  static void write(Path store) throws Exception {
    try (StoreFiles f = StoreFiles.open(store)) {
      f.recover((c, o) -> {});
      f.add(flow(BLOCKED, 40011, "ONE_WAY", 3, 0));
      f.add(flow(ANSWERED, 40012, "OK", 5, 4));
      f.add(alert(AlertStatus.FIRING, 1));
      f.add(alert(AlertStatus.RESOLVED, 9));
      f.add(incident(AlertStatus.FIRING, 1));
      f.add(incident(AlertStatus.RESOLVED, 9));
      f.flush();
    }
  }

  static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  private static FlowRecord flow(String id, int sport, String verdict, long fwd, long rev) {
    List<HopStats> hops =
        PATH.stream()
            .map(
                h ->
                    HopStats.newBuilder()
                        .setHop(h)
                        .setNode(h.substring(0, h.indexOf('/')))
                        .setRole(h.endsWith("ens33") ? InterfaceRole.UPLINK : InterfaceRole.POD)
                        .setFwdPackets(fwd)
                        .setFwdBytes(fwd * 60)
                        // the reply dies on its way back as soon as the forward packets do
                        .setRevPackets(h.startsWith("node-b") ? rev : Math.max(rev - 1, 0))
                        .setRevBytes(rev * 60)
                        .build())
            .toList();
    return FlowRecord.newBuilder()
        .setConversationId(id)
        .setTuples(
            List.of(
                FiveTuple.newBuilder()
                    .setIpVersion(4)
                    .setSrc("10.244.0.2")
                    .setDst("10.244.1.2")
                    .setProto(6)
                    .setSport(sport)
                    .setDport(8080)
                    .build()))
        .setCommunityIds(List.of("1:test"))
        .setHops(hops)
        .setFirstSeen(nanos(T0))
        .setLastSeen(nanos(T0.plusSeconds(2)))
        .setTcpState("S")
        .setVerdict(verdict)
        .setFinal$(true)
        .build();
  }

  static Alert alert(AlertStatus status, int lastSecond) {
    return Alert.newBuilder()
        .setId("a-blocked")
        .setType(AlertType.ONE_WAY)
        .setSeverity(Severity.CRITICAL)
        .setStatus(status)
        .setFirstSeen(nanos(T0.plusSeconds(1)))
        .setLastSeen(nanos(T0.plusSeconds(lastSecond)))
        .setSubject(
            AlertSubject.newBuilder()
                .setKind("FLOW")
                .setSrc("10.244.0.2")
                .setDst("10.244.1.2")
                .setProto(6)
                .setSport(40011)
                .setDport(8080)
                .setConversationId(BLOCKED)
                .build())
        .setLostAt(
            LostAt.newBuilder()
                .setAfter("node-b/ens33")
                .setBefore("node-b/flannel.1")
                .setDirection("forward")
                .build())
        .setCount(3)
        .setHint(HINT)
        .setEvidence(
            Evidence.newBuilder()
                .setHopsSeen(PATH)
                .setHopsMissing(List.of("node-b/flannel.1"))
                .setCounts(Map.of("lostForward", 1L))
                .setFacts(Map.of())
                .setSamples(List.of())
                .build())
        .setCommunityIds(List.of("1:test"))
        .build();
  }

  static final String INCIDENT = "segment:node-b/ens33>node-b/flannel.1";

  static Incident incident(AlertStatus status, int lastSecond) {
    return Incident.newBuilder()
        .setId(INCIDENT)
        .setStatus(status)
        .setCauseKind("SEGMENT")
        .setCauseKey("node-b/ens33>node-b/flannel.1")
        .setCause(HINT)
        .setSeverity(Severity.CRITICAL)
        .setLostAt(
            LostAt.newBuilder()
                .setAfter("node-b/ens33")
                .setBefore("node-b/flannel.1")
                .setDirection("forward")
                .build())
        .setAlertIds(List.of("a-blocked"))
        .setAlertTypes(List.of("ONE_WAY"))
        .setFiringAlertIds(status == AlertStatus.FIRING ? List.of("a-blocked") : List.of())
        .setFirstSeen(nanos(T0.plusSeconds(1)))
        .setLastSeen(nanos(T0.plusSeconds(lastSecond)))
        .build();
  }
}
