package io.hoptrace.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AlertSinksTest {
  @Test
  void badValuesAreOneLineErrorsNamingTheOption() {
    assertThatThrownBy(() -> AlertSinks.open("ftp://x", null, "cef"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--alertmanager: ");
    assertThatThrownBy(() -> AlertSinks.open(null, "tcp://host", "cef"))
        .hasMessageStartingWith("--syslog: a host and a port");
    assertThatThrownBy(() -> AlertSinks.open(null, "http://host:514", "cef"))
        .hasMessageStartingWith("--syslog: expected tcp://");
    assertThatThrownBy(() -> AlertSinks.open(null, "tcp://host:514", "xml"))
        .hasMessage("--syslog-format: expected cef or json, got xml");
    // validated before anything is opened: a bad syslog value with a good Alertmanager URL
    assertThatThrownBy(() -> AlertSinks.open("http://127.0.0.1:9", "udp://h:0", "cef"))
        .hasMessageStartingWith("--syslog:");
  }

  @Test
  void targetsParse() {
    assertThat(SyslogTarget.parse("tls://siem.example:6514"))
        .isEqualTo(new SyslogTarget(SyslogTarget.Transport.TLS, "siem.example", 6514));
    assertThat(AlertmanagerSink.parse("http://am:9093/").toString()).isEqualTo("http://am:9093");
    try (AlertSinks none = AlertSinks.open(null, null, null)) {
      assertThat(none.isEmpty()).isTrue();
    }
  }
}
