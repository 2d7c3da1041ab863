package io.hoptrace.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.lab.CoreHarness;
import io.hoptrace.lab.Recordings;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the bundled lab recordings (deploy/lab/recordings) give through the plain core, in time
 * order, beyond their truth's alert types (issue 11): the hints and subjects of those alerts.
 */
class RecordingFindingsTest {

  @Test
  void dualIpOneWayHintNamesTheWrongOuterSourceNotAFirewall() {
    CoreHarness h = Recordings.read("dual-ip").replay();
    assertThat(h.firing(AlertType.VTEP_MISMATCH)).isNotEmpty();
    List<Alert> oneWay = h.firing(AlertType.ONE_WAY);
    assertThat(oneWay).isNotEmpty();
    assertThat(oneWay)
        .allSatisfy(
            a ->
                assertThat(a.getHint())
                    .contains(
                        "replies leave node-b with source 192.168.233.130 which node-a does not"
                            + " accept")
                    .contains("registered VTEP address is 192.168.232.130")
                    .contains("VTEP_MISMATCH")
                    .doesNotContain("firewall"));
  }
}
