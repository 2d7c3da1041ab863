package io.hoptrace.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.contract.FlowKey;
import io.hoptrace.detect.net.Cidr;
import io.hoptrace.detect.net.Ip;
import org.junit.jupiter.api.Test;

class FlowKeysTest {
  @Test
  void endpointsAreOrderedByAddressBytesThenPort() {
    assertThat(FlowKey.key(6, "10.0.0.10", 80, "10.0.0.2", 40000))
        .isEqualTo("6|10.0.0.2|40000|10.0.0.10|80");
    assertThat(FlowKey.key(6, "10.0.0.2", 40000, "10.0.0.10", 80))
        .isEqualTo("6|10.0.0.2|40000|10.0.0.10|80");
    assertThat(FlowKey.key(17, "10.0.0.1", 53, "10.0.0.1", 33000))
        .isEqualTo("17|10.0.0.1|53|10.0.0.1|33000");
    assertThat(FlowKey.isAtoB("10.0.0.2", 1, "10.0.0.10", 1)).isTrue();
  }

  @Test
  void ipv6IsCanonicalRfc5952() {
    assertThat(Ip.canonical("2001:DB8:0:0:0:0:0:1")).isEqualTo("2001:db8::1");
    assertThat(Ip.canonical("fe80:0:0:1:0:0:0:1")).isEqualTo("fe80:0:0:1::1");
    assertThat(Ip.canonical("::1")).isEqualTo("::1");
    assertThat(Ip.parse("not-an-address")).isNull();
    assertThat(Ip.parse("300.1.1.1")).isNull();
  }

  @Test
  void prefixesContainTheirAddresses() {
    assertThat(Cidr.parse("10.244.1.0/24").contains("10.244.1.77")).isTrue();
    assertThat(Cidr.parse("10.244.1.0/24").contains("10.244.2.1")).isFalse();
    assertThat(Cidr.parse("fd00::/8").contains("fd12::1")).isTrue();
    assertThat(Cidr.parse("10.0.0.0/33")).isNull();
  }
}
