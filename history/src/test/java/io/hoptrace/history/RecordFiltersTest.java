package io.hoptrace.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.LostAt;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The store filters applied to single records (what {@code alerts} and {@code flows --bootstrap}
 * read from the topics) agree with their SQL: the same values match.
 */
class RecordFiltersTest {
  private static final long T = 1_764_800_000_000_000_000L; // 2025-12-03T22:13:20Z

  @Test
  void alertFilterMatchesTypeStatusAndSinceAsItsSqlDoes() {
    Alert firing = Records.oneWay("a1", "c1", T, AlertStatus.FIRING);
    Alert resolved = Records.oneWay("a2", "c2", T, AlertStatus.RESOLVED);
    assertThat(new AlertFilter().test(firing)).isTrue();
    AlertFilter onlyFiring = new AlertFilter().status("firing");
    assertThat(onlyFiring.test(firing)).isTrue();
    assertThat(onlyFiring.test(resolved)).isFalse();
    assertThat(onlyFiring.sql()).contains("status IN ('FIRING')");
    AlertFilter twoTypes = new AlertFilter().type("DNS_FAILURE").type("ONE_WAY");
    assertThat(twoTypes.test(firing)).isTrue();
    assertThat(twoTypes.sql()).contains("type IN ('ONE_WAY', 'DNS_FAILURE')"); // EnumSet order
    assertThat(new AlertFilter().type("VTEP_MISMATCH").test(firing)).isFalse();
    Instant after = Instant.ofEpochSecond(0, T).plusSeconds(2);
    assertThat(new AlertFilter().since(after).test(firing)).as("last seen T+1 s").isFalse();
    assertThat(new AlertFilter().since(after).test(resolved)).as("last seen T+5 s").isTrue();
  }

  @Test
  void flowFilterMatchesAddressesPortsVerdictAndLostAtAsItsSqlDoes() {
    FlowRecord f = Records.flow("c1", "10.244.0.2", "10.244.1.2", T, "ONE_WAY");
    LostAt lost =
        LostAt.newBuilder()
            .setAfter("node-b/ens33")
            .setBefore("node-b/flannel.1")
            .setDirection(
                Records.oneWay("a", "c1", T, AlertStatus.FIRING).getLostAt().getDirection())
            .build();
    assertThat(new FlowFilter().test(f, null)).isTrue();
    assertThat(new FlowFilter().dst("10.244.1.0/24").test(f, lost)).isTrue();
    assertThat(new FlowFilter().dst("10.244.2.0/24").test(f, lost)).isFalse();
    assertThat(new FlowFilter().src("10.244.0.2").verdict("one_way").test(f, lost)).isTrue();
    assertThat(new FlowFilter().verdict("OK").test(f, lost)).isFalse();
    assertThat(new FlowFilter().lostAt("node-b/flannel.1").test(f, lost)).isTrue();
    assertThat(new FlowFilter().lostAt("node-b/flannel.1").test(f, null))
        .as("no alert about it: no lost-at")
        .isFalse();
    assertThat(new FlowFilter().lostAt("node-a/ens33").test(f, lost)).isFalse();
    int port = f.getTuples().get(0).getDport();
    assertThat(new FlowFilter().port(port).test(f, lost)).isTrue();
    assertThat(new FlowFilter().port(port == 1 ? 2 : 1).test(f, lost)).isFalse();
    assertThat(new FlowFilter().until(Instant.ofEpochSecond(0, T).minusSeconds(1)).test(f, lost))
        .isFalse();
  }
}
