package io.hoptrace.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CefTest {
  @Test
  void headerAndExtensionsOfAFiringIpv4Alert() {
    String line = Cef.line(SampleAlerts.oneWay("10.244.0.5", "10.244.1.7", AlertStatus.FIRING));
    assertThat(line)
        .startsWith(
            "CEF:0|hoptrace|hoptrace|0.1.0|ONE_WAY|ONE_WAY tcp 10.244.0.5:40070 -> 10.244.1.7:80,"
                + " lost at node-a/flannel.1 -> node-b/flannel.1 (forward)|9|");
    Map<String, String> ext = RsyslogIT.cefExtensions(line);
    assertThat(ext)
        .containsEntry("externalId", "a1")
        .containsEntry("act", "FIRING")
        .containsEntry("src", "10.244.0.5")
        .containsEntry("dst", "10.244.1.7")
        .containsEntry("spt", "40070")
        .containsEntry("dpt", "80")
        .containsEntry("proto", "TCP")
        .containsEntry("cnt", "3")
        .containsEntry("start", Long.toString(SampleAlerts.T0 / 1_000_000L))
        .containsEntry("cs1Label", "lostAfter")
        .containsEntry("cs1", "node-a/flannel.1")
        .containsEntry("cs2", "node-b/flannel.1")
        .containsEntry("cs3", "forward")
        .containsEntry("cs5", "1:abc=")
        .containsEntry("cs6Label", "incidentId")
        .containsEntry("cs6", "i1")
        .doesNotContainKey("end");
  }

  @Test
  void valuesAreEscapedAndLineBreaksEncoded() {
    String line = Cef.line(SampleAlerts.oneWay("10.244.0.5", "10.244.1.7", AlertStatus.FIRING));
    assertThat(line).doesNotContain("\n").doesNotContain("\r");
    assertThat(line).contains("msg=VXLAN leaves node-a|but \\= never\\\\reaches node-b\\nline two");
    assertThat(Cef.header("a|b\\c")).isEqualTo("a\\|b\\\\c");
    assertThat(RsyslogIT.cefExtensions(line))
        .containsEntry("msg", "VXLAN leaves node-a|but = never\\reaches node-b\\nline two");
  }

  @Test
  void ipv6AddressesGoToTheIpv6FieldsAndResolvedHasAnEnd() {
    Alert a = SampleAlerts.oneWay("fd00:10:244::5", "fd00:10:244:1::7", AlertStatus.RESOLVED);
    Map<String, String> ext = RsyslogIT.cefExtensions(Cef.line(a));
    assertThat(ext)
        .containsEntry("c6a2", "fd00:10:244::5")
        .containsEntry("c6a3", "fd00:10:244:1::7")
        .doesNotContainKeys("src", "dst")
        .containsEntry("act", "RESOLVED")
        .containsEntry("end", Long.toString(a.getLastSeen() / 1_000_000L));
  }
}
