package io.hoptrace.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.lab.CoreHarness;
import io.hoptrace.lab.Harness;
import io.hoptrace.lab.Recordings;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertType;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

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

  @Test
  void portClosedIcmpSubjectIsTheFlowItIsAboutNotTheReporterToItself() {
    CoreHarness h = Recordings.read("port-closed").replay();
    List<Alert> icmp = h.firing(AlertType.ICMP_UNREACHABLE);
    assertThat(icmp).hasSize(1);
    Alert a = icmp.get(0);
    assertThat(a.getSubject().getSrc()).isEqualTo("10.244.0.2");
    assertThat(a.getSubject().getSport()).isEqualTo(40064);
    assertThat(a.getSubject().getDst()).isEqualTo("10.244.1.2");
    assertThat(a.getSubject().getDport()).isEqualTo(9999);
    assertThat(a.getSubject().getNode()).isEqualTo("node-b");
    assertThat(a.getEvidence().getFacts()).containsEntry("reporter", "10.244.1.2");
  }

  @ParameterizedTest
  @MethodSource("io.hoptrace.lab.Harnesses#all")
  void wrongVtepIsOneAlertForTheBadFdbEntryAndTheTrafficItMisdirects(Supplier<Harness> make) {
    try (Harness h = make.get()) {
      Recordings.read("wrong-vtep").replay(h);
      List<Alert> vtep = h.alerts(AlertType.VTEP_MISMATCH);
      // one fault (node-a's FDB entry to 10.0.2.15), one alert: the inventory's bad FDB entry and
      // the traffic it misdirects are records of one alert id, the last naming both
      assertThat(vtep).isNotEmpty();
      assertThat(vtep).extracting(Alert::getId).containsOnly(vtep.get(0).getId());
      Alert last = vtep.get(vtep.size() - 1);
      assertThat(last.getEvidence().getFacts().get("kind"))
          .contains("unknown-destination")
          .contains("bad-fdb");
      assertThat(last.getLostAt().getAfter()).isEqualTo("node-a/ens33");
      assertThat(last.getSubject().getVtep()).isEqualTo("10.0.2.15");
    }
  }

  /**
   * Dual-stack (issue 11, class 8): a node's ip6tables drops VXLAN over IPv6 (node-b, then node-a
   * in the variant). The IPv6 flows in both directions are lost between that node's uplink and its
   * IPv6 VTEP flannel-v6.1 (not at the uplink with "is anything listening", not before the IPv4
   * VTEP flannel.1), with the firewall hint; the IPv4 ping between the same pods raises nothing.
   */
  @ParameterizedTest
  @MethodSource("io.hoptrace.lab.Harnesses#all")
  void dualStackIpv6VxlanDroppedByTheHostFirewallIsLocalisedAtTheIpv6Vtep(Supplier<Harness> make) {
    for (String node : List.of("node-b", "node-a")) {
      try (Harness h = make.get()) {
        Recordings.read(node.equals("node-b") ? "vxlan6-blocked" : "vxlan6-blocked-node-a")
            .replay(h);
        List<Alert> oneWay = h.alerts(AlertType.ONE_WAY);
        assertThat(oneWay).as(node).isNotEmpty();
        assertThat(h.alerts())
            .as(node)
            .allSatisfy(
                a -> {
                  assertThat(a.getSubject().getSrc()).contains(":");
                  assertThat(a.getLostAt().getAfter()).isEqualTo(node + "/ens33");
                  assertThat(a.getLostAt().getBefore()).isEqualTo(node + "/flannel-v6.1");
                });
        assertThat(oneWay)
            .allSatisfy(
                a ->
                    assertThat(a.getHint())
                        .contains("host firewall on " + node + " drops 8472/udp")
                        .contains("ip6tables"));
        assertThat(oneWay)
            .extracting(a -> a.getLostAt().getDirection().toString())
            .contains("forward", "reverse");
      }
    }
  }
}
