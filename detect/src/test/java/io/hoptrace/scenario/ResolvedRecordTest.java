package io.hoptrace.scenario;

import static io.hoptrace.lab.Lab.*;
import static io.hoptrace.lab.Pkt.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.lab.Harness;
import io.hoptrace.lab.Lab;
import io.hoptrace.lab.Scenarios;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.AlertType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A RESOLVED record closes the alert that fired: it repeats the diagnosis of the last FIRING record
 * of the same id (subject, lost-at segment, hint), and its count never goes below it — even when
 * the flow's last re-evaluation (at its expiry, at the end of input) sees less than it did while
 * the alert fired.
 */
class ResolvedRecordTest {
  final Lab lab = new Lab();

  static java.util.stream.Stream<?> harnesses() {
    return io.hoptrace.lab.Harnesses.all();
  }

  @ParameterizedTest
  @MethodSource("harnesses")
  void resolvedOneWayKeepsTheUnderlayDiagnosisAndCountOfVxlanBlocked(Supplier<Harness> make) {
    try (Harness h = make.get()) {
      h.nodes(Lab.inventory());
      Scenarios.vxlanBlocked(h, lab, 40030, 0);
      h.idle(12_000_000_000L);
      h.finish();
      Alert resolved = assertResolutionsRepeatTheirFiring(h.alerts()).get(AlertType.ONE_WAY);
      assertThat(resolved.getLostAt().getAfter()).isEqualTo("node-a/ens33");
      assertThat(resolved.getLostAt().getBefore()).isEqualTo("node-b/ens33");
      assertThat(resolved.getHint()).contains("never reaches 192.168.232.130");
    }
  }

  @ParameterizedTest
  @MethodSource("harnesses")
  void resolvedOneWayKeepsTheReturnPathDiagnosisOfDualIp(Supplier<Harness> make) {
    try (Harness h = make.get()) {
      h.nodes(Lab.inventory());
      Scenarios.dualIp(h, lab, 0);
      // the client's last SYN retransmission; input ends before its SYN-ACK was captured, so the
      // flow's final re-evaluation only sees an unanswered SYN at the server
      h.send(lab.over(tcp(POD_A, 40100, POD_B, 80, SYN, 100, 0, 0), sec(8), A_TO_B));
      h.idle(12_000_000_000L);
      h.finish();
      Alert resolved = assertResolutionsRepeatTheirFiring(h.alerts()).get(AlertType.ONE_WAY);
      assertThat(resolved.getLostAt().getDirection()).isEqualTo("reverse");
      assertThat(resolved.getLostAt().getAfter()).isEqualTo("node-a/ens33");
      assertThat(resolved.getLostAt().getBefore()).isEqualTo("node-a/flannel.1");
      assertThat(resolved.getHint())
          .contains(
              "replies leave node-b with source 192.168.232.131 which node-a does not accept");
    }
  }

  /** Checks every alert id; returns the RESOLVED record of each type (one id per type here). */
  private static Map<AlertType, Alert> assertResolutionsRepeatTheirFiring(List<Alert> alerts) {
    Map<String, Alert> lastFiring = new LinkedHashMap<>();
    Map<AlertType, Alert> resolvedByType = new LinkedHashMap<>();
    for (Alert a : alerts) {
      if (a.getStatus() == AlertStatus.FIRING) {
        Alert before = lastFiring.get(a.getId());
        if (before != null) {
          assertThat(a.getCount())
              .as("FIRING update of %s", a)
              .isGreaterThanOrEqualTo(before.getCount());
        }
        lastFiring.put(a.getId(), a);
        continue;
      }
      Alert fired = lastFiring.get(a.getId());
      assertThat(fired).as("a FIRING record before %s", a).isNotNull();
      assertThat(a.getType()).isEqualTo(fired.getType());
      assertThat(a.getSubject()).as("subject of %s", a.getType()).isEqualTo(fired.getSubject());
      assertThat(a.getLostAt()).as("lostAt of %s", a.getType()).isEqualTo(fired.getLostAt());
      assertThat(a.getHint()).as("hint of %s", a.getType()).isEqualTo(fired.getHint());
      assertThat(a.getCount())
          .as("count of %s", a.getType())
          .isGreaterThanOrEqualTo(fired.getCount());
      assertThat(a.getLastSeen()).isGreaterThanOrEqualTo(fired.getLastSeen());
      assertThat(a.getFirstSeen()).isEqualTo(fired.getFirstSeen());
      resolvedByType.put(a.getType(), a);
    }
    assertThat(resolvedByType.keySet())
        .containsAll(lastFiring.values().stream().map(Alert::getType).toList());
    return resolvedByType;
  }
}
