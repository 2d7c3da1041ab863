package io.hoptrace.pcap;

import static org.assertj.core.api.Assertions.assertThat;

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

/**
 * When {@link IncidentEvidenceWindow} makes an incident due, and with which packets: once, after
 * the settle time, its conversations' flow keys within their span; again later when none was known
 * yet, given up after the last attempt.
 */
class IncidentEvidenceWindowTest {
  private static final long S = 1_000_000_000L;
  private static final FiveTuple TUPLE =
      FiveTuple.newBuilder()
          .setSrc("10.244.0.2")
          .setDst("10.244.1.2")
          .setProto(6)
          .setSport(40011)
          .setDport(8080)
          .build();
  private static final String CONV = FlowKey.key(6, "10.244.0.2", 40011, "10.244.1.2", 8080);

  private final IncidentEvidenceWindow w = new IncidentEvidenceWindow(2_000, 100, 10 * S, 2 * S);

  private static FlowRecord flow() {
    return FlowRecord.newBuilder()
        .setConversationId(CONV)
        .setTuples(List.of(TUPLE))
        .setCommunityIds(List.of("1:x"))
        .setFirstSeen(100 * S)
        .setLastSeen(103 * S)
        .setVerdict("ONE_WAY")
        .build();
  }

  private static Alert alert() {
    return Alert.newBuilder()
        .setId("a1")
        .setType(AlertType.ONE_WAY)
        .setSeverity(Severity.CRITICAL)
        .setStatus(AlertStatus.FIRING)
        .setFirstSeen(102 * S)
        .setLastSeen(102 * S)
        .setSubject(AlertSubject.newBuilder().setKind("FLOW").setConversationId(CONV).build())
        .setEvidence(Evidence.newBuilder().build())
        .setIncidentId("i1")
        .build();
  }

  private static Incident incident() {
    return Incident.newBuilder()
        .setId("i1")
        .setStatus(AlertStatus.FIRING)
        .setCauseKind("SEGMENT")
        .setCauseKey("k")
        .setCause("c")
        .setAlertIds(List.of("a1"))
        .setFirstSeen(102 * S)
        .setLastSeen(102 * S)
        .build();
  }

  @Test
  void anIncidentIsDueOnceAfterTheSettleTimeWithItsConversationsPackets() {
    w.alert(alert());
    w.incident(incident(), 1_000);
    w.flow(flow());
    w.incident(incident(), 1_500); // a later record of the same incident: no second request
    assertThat(w.due(2_999)).isEmpty();

    List<IncidentEvidenceWindow.Due> due = w.due(3_000);

    assertThat(due).hasSize(1);
    assertThat(due.get(0).conversationIds()).containsExactly(CONV);
    assertThat(due.get(0).packets().spans())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.flowKey()).isEqualTo(CONV);
              assertThat(s.fromNanos()).isEqualTo(100 * S);
              assertThat(s.toNanos()).isEqualTo(105 * S);
            });
    assertThat(w.due(10_000)).isEmpty();
    w.incident(incident(), 20_000); // asked for already
    assertThat(w.pending()).isZero();
  }

  @Test
  void anIncidentWhoseFlowsAreNotYetKnownIsLookedAtAgainThenGivenUp() {
    w.alert(alert());
    w.incident(incident(), 0);
    assertThat(w.due(2_000)).isEmpty(); // attempt 1: no flow record yet
    w.flow(flow());
    assertThat(w.due(4_000))
        .singleElement()
        .satisfies(d -> assertThat(d.packets().isEmpty()).isFalse());

    IncidentEvidenceWindow other = new IncidentEvidenceWindow(2_000, 100, 10 * S, 2 * S);
    other.alert(alert());
    other.incident(incident(), 0);
    for (int i = 1; i < IncidentEvidenceWindow.ATTEMPTS; i++) {
      assertThat(other.due(2_000L * i)).isEmpty();
    }
    List<IncidentEvidenceWindow.Due> last = other.due(2_000L * IncidentEvidenceWindow.ATTEMPTS);
    assertThat(last).singleElement().satisfies(d -> assertThat(d.packets().isEmpty()).isTrue());
    assertThat(other.pending()).isZero();
  }

  @Test
  void onlyTheNewestRecordsAreKept() {
    IncidentEvidenceWindow small = new IncidentEvidenceWindow(0, 1, 10 * S, 2 * S);
    small.alert(alert());
    small.flow(flow());
    small.flow(
        FlowRecord.newBuilder(flow())
            .setConversationId("other")
            .setTuples(List.of(FiveTuple.newBuilder(TUPLE).setSport(40012).build()))
            .build());
    small.incident(incident(), 0);
    // the conversation's record was pushed out by a newer one: nothing known of it
    assertThat(small.due(0)).isEmpty();
  }
}
