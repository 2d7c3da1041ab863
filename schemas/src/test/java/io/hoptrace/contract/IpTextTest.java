package io.hoptrace.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IpTextTest {
  @Test
  void ipv4MappedStaysIpv6() {
    assertThat(IpText.canonical("::FFFF:10.0.0.1")).isEqualTo("::ffff:10.0.0.1");
    assertThat(IpText.canonical("0:0:0:0:0:ffff:a00:1")).isEqualTo("::ffff:10.0.0.1");
    // ordered as IPv6 (after any IPv4)
    assertThat(IpText.compare("::ffff:10.0.0.1", "10.0.0.2")).isPositive();
    assertThat(IpText.compare("::ffff:10.0.0.1", "::ffff:10.0.0.2")).isNegative();
    // parse keeps InetAddress's view (4 bytes), used for prefix matching
    assertThat(IpText.parse("::ffff:10.0.0.1")).hasSize(4);
  }

  @Test
  void orderIsIpv4FirstThenUnsignedBytes() {
    assertThat(IpText.compare("10.0.0.2", "10.0.0.10")).isNegative();
    assertThat(IpText.compare("128.0.0.1", "127.0.0.1")).isPositive();
    assertThat(IpText.compare("255.0.0.0", "::")).isNegative();
    assertThat(IpText.compare("fe80::1", "2001:db8::1")).isPositive();
    assertThat(IpText.compare("10.0.0.1", "10.0.0.1")).isZero();
  }
}
