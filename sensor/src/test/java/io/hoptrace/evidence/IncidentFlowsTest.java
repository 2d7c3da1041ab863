package io.hoptrace.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.contract.FlowKey;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.AlertSubject;
import io.hoptrace.schema.AlertType;
import io.hoptrace.schema.Evidence;
import io.hoptrace.schema.FiveTuple;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.Incident;
import io.hoptrace.schema.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which conversations and packets {@link IncidentFlows} picks for an incident. */
class IncidentFlowsTest {
  private static final long S = 1_000_000_000L;
  private static final long SLACK = 10 * S;
  private static final long LATE = 2 * S;

  private static FiveTuple tuple(int proto, String src, int sport, String dst, int dport) {
    return FiveTuple.newBuilder()
        .setSrc(src)
        .setDst(dst)
        .setProto(proto)
        .setSport(sport)
        .setDport(dport)
        .build();
  }

  private static FlowRecord flow(String cid, long first, long last, FiveTuple... tuples) {
    FiveTuple t = tuples[0];
    return FlowRecord.newBuilder()
        .setConversationId(
            FlowKey.key(t.getProto(), t.getSrc(), t.getSport(), t.getDst(), t.getDport()))
        .setTuples(List.of(tuples))
        .setCommunityIds(List.of(cid))
        .setFirstSeen(first)
        .setLastSeen(last)
        .setVerdict("OK")
        .build();
  }

  private static Alert alert(
      String id, String incident, AlertSubject subject, long at, String... communityIds) {
    return Alert.newBuilder()
        .setId(id)
        .setType(AlertType.ONE_WAY)
        .setSeverity(Severity.WARNING)
        .setStatus(AlertStatus.FIRING)
        .setFirstSeen(at)
        .setLastSeen(at)
        .setSubject(subject)
        .setEvidence(Evidence.newBuilder().build())
        .setCommunityIds(List.of(communityIds))
        .setIncidentId(incident)
        .build();
  }

  private static AlertSubject flowSubject(FlowRecord f) {
    return AlertSubject.newBuilder()
        .setKind("FLOW")
        .setConversationId(f.getConversationId())
        .build();
  }

  private static Incident incident(String id, long first, long last, String... alertIds) {
    return Incident.newBuilder()
        .setId(id)
        .setStatus(AlertStatus.FIRING)
        .setCauseKind("SEGMENT")
        .setCauseKey(id)
        .setCause("cause of " + id)
        .setAlertIds(List.of(alertIds))
        .setFirstSeen(first)
        .setLastSeen(last)
        .build();
  }

  private static final FlowRecord TCP =
      flow("1:tcp", 100 * S, 103 * S, tuple(6, "10.244.0.2", 40011, "10.244.1.2", 8080));
  private static final FlowRecord NODEPORT =
      flow(
          "1:np",
          100 * S,
          101 * S,
          tuple(6, "192.168.232.200", 42001, "192.168.232.128", 30080),
          tuple(6, "10.244.0.0", 42001, "10.244.1.2", 8080));
  private static final FlowRecord PING_EARLY =
      flow("1:ping", 10 * S, 12 * S, tuple(1, "10.244.0.2", 7, "10.244.1.2", 0));
  private static final FlowRecord PING_NOW =
      flow("1:ping", 101 * S, 102 * S, tuple(1, "10.244.0.2", 8, "10.244.1.2", 0));
  private static final FlowRecord DNS_1 =
      flow("1:dns1", 95 * S, 95 * S, tuple(17, "10.244.0.2", 40071, "10.244.1.3", 53));
  private static final FlowRecord DNS_OTHER_RESOLVER =
      flow("1:dns2", 95 * S, 95 * S, tuple(17, "10.244.0.2", 40072, "10.244.1.4", 53));

  private static final List<FlowRecord> FLOWS =
      List.of(TCP, NODEPORT, PING_EARLY, PING_NOW, DNS_1, DNS_OTHER_RESOLVER);

  @Test
  void aFlowAlertNamesItsConversationWithEveryNatTupleAndItsSpan() {
    Alert a = alert("a1", "i1", flowSubject(NODEPORT), 110 * S);
    var s =
        IncidentFlows.select(
            List.of(incident("i1", 110 * S, 110 * S, "a1")), List.of(a), FLOWS, SLACK, LATE);
    assertThat(s).hasSize(1);
    assertThat(s.get(0).conversationIds()).containsExactly(NODEPORT.getConversationId());
    PacketSelection p = s.get(0).packets();
    String outside = "6|192.168.232.128|30080|192.168.232.200|42001";
    String inside = "6|10.244.0.0|42001|10.244.1.2|8080";
    assertThat(p.flowKeys()).containsExactly(outside, inside);
    assertThat(p.matches(inside, 100 * S)).isTrue();
    assertThat(p.matches(outside, 101 * S)).isTrue();
    assertThat(p.matches(inside, 103 * S)).as("another hop, within the lateness").isTrue();
    assertThat(p.matches(inside, 103 * S + 1)).as("after the conversation").isFalse();
    assertThat(p.matches(inside, 100 * S - 1)).as("before the conversation").isFalse();
    assertThat(p.matches(TCP.getConversationId(), 100 * S)).isFalse();
    assertThat(p.matches(null, 100 * S)).isFalse();
  }

  @Test
  void communityIdsRelateConversationsNearTheIncidentOnly() {
    // a VTEP alert lists its member flows' Community IDs: the earlier ping of the same pair is out
    AlertSubject vtep = AlertSubject.newBuilder().setKind("VTEP").setVtep("10.0.2.15").build();
    Alert a = alert("a1", "i1", vtep, 105 * S, "1:ping", "1:tcp");
    var s =
        IncidentFlows.select(
            List.of(incident("i1", 105 * S, 106 * S, "a1")), List.of(a), FLOWS, SLACK, LATE);
    assertThat(s.get(0).conversationIds())
        .containsExactly(TCP.getConversationId(), PING_NOW.getConversationId());
  }

  @Test
  void aResolverAlertRelatesTheQueriesToThatResolver() {
    AlertSubject resolver =
        AlertSubject.newBuilder().setKind("RESOLVER").setDst("10.244.1.3").setDport(53).build();
    Alert a = alert("a1", "i1", resolver, 100 * S);
    var s =
        IncidentFlows.select(
            List.of(incident("i1", 100 * S, 100 * S, "a1")), List.of(a), FLOWS, SLACK, LATE);
    assertThat(s.get(0).conversationIds()).containsExactly(DNS_1.getConversationId());
  }

  @Test
  void alertsJoinByTheIncidentsListAndByTheirIncidentIdOverEveryRecord() {
    Alert listed = alert("a1", null, flowSubject(TCP), 105 * S);
    Alert naming = alert("a2", "i1", flowSubject(NODEPORT), 105 * S);
    Alert other = alert("a3", "i2", flowSubject(DNS_1), 105 * S);
    var s =
        IncidentFlows.select(
            List.of(
                incident("i1", 105 * S, 105 * S),
                incident("i2", 90 * S, 90 * S, "a3"),
                incident("i1", 105 * S, 107 * S, "a1")),
            List.of(listed, naming, other),
            FLOWS,
            SLACK,
            LATE);
    assertThat(s).extracting(x -> x.incident().getId()).containsExactly("i2", "i1");
    assertThat(s.get(1).incident().getLastSeen()).isEqualTo(107 * S);
    assertThat(s.get(1).conversationIds())
        .containsExactlyInAnyOrder(TCP.getConversationId(), NODEPORT.getConversationId());
    assertThat(s.get(0).conversationIds()).containsExactly(DNS_1.getConversationId());
  }

  @Test
  void anIncidentWithoutKnownConversationsSelectsNothing() {
    var s =
        IncidentFlows.select(List.of(incident("i1", 0, 0, "gone")), List.of(), FLOWS, SLACK, LATE);
    assertThat(s.get(0).conversationIds()).isEmpty();
    assertThat(s.get(0).packets().isEmpty()).isTrue();
    assertThatThrownBy(() -> IncidentFlows.select(List.of(), List.of(), List.of(), -1, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aConversationSelectsEveryTupleOfAllItsRecordsWithinItsSpan() {
    // a later record of the same conversation, with one of its tuples
    FlowRecord later =
        FlowRecord.newBuilder(NODEPORT)
            .setFirstSeen(104 * S)
            .setLastSeen(106 * S)
            .setTuples(List.of(tuple(6, "10.244.0.0", 42001, "10.244.1.2", 8080)))
            .build();
    List<FlowRecord> flows = List.of(TCP, NODEPORT, later);

    PacketSelection p = IncidentFlows.conversation(flows, NODEPORT.getConversationId(), LATE);

    String outside = "6|192.168.232.128|30080|192.168.232.200|42001";
    String inside = "6|10.244.0.0|42001|10.244.1.2|8080";
    assertThat(p.flowKeys()).containsExactly(outside, inside);
    assertThat(p.spans())
        .containsExactly(
            new PacketSelection.Span(outside, 100 * S, 108 * S),
            new PacketSelection.Span(inside, 100 * S, 108 * S));
    assertThat(p.matches("6|10.244.0.2|40011|10.244.1.2|8080", 101 * S)).isFalse();
    assertThat(IncidentFlows.conversation(flows, "1:none", LATE)).isNull();
  }
}
