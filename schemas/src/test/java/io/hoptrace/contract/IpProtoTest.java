package io.hoptrace.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IpProtoTest {
  @Test
  void numbersAreIana() {
    assertThat(IpProto.ICMP).isEqualTo(1);
    assertThat(IpProto.IPIP).isEqualTo(4);
    assertThat(IpProto.TCP).isEqualTo(6);
    assertThat(IpProto.UDP).isEqualTo(17);
    assertThat(IpProto.IPV6).isEqualTo(41);
    assertThat(IpProto.GRE).isEqualTo(47);
    assertThat(IpProto.ICMPV6).isEqualTo(58);
    assertThat(IpProto.SCTP).isEqualTo(132);
    assertThat(IpProto.UDPLITE).isEqualTo(136);
  }

  @Test
  void namesAreIanaKeywordsWithOneSpellingOfIcmpv6() {
    assertThat(IpProto.name(IpProto.ICMPV6)).isEqualTo("ipv6-icmp");
    assertThat(IpProto.name(IpProto.TCP)).isEqualTo("tcp");
    assertThat(IpProto.name(IpProto.UDP)).isEqualTo("udp");
    assertThat(IpProto.name(IpProto.ICMP)).isEqualTo("icmp");
    assertThat(IpProto.name(IpProto.SCTP)).isEqualTo("sctp");
    assertThat(IpProto.name(IpProto.GRE)).isEqualTo("gre");
    assertThat(IpProto.name(IpProto.IPIP)).isEqualTo("ipip");
    assertThat(IpProto.name(50)).isNull();
    assertThat(IpProto.nameOrNumber(50)).isEqualTo("50");
    assertThat(IpProto.nameOrNumber(6)).isEqualTo("tcp");
  }

  @Test
  void parseAcceptsNamesAliasesAndNumbers() {
    for (int p : new int[] {1, 4, 6, 17, 47, 58, 132}) {
      assertThat(IpProto.parse(IpProto.name(p))).isEqualTo(p);
    }
    assertThat(IpProto.parse("ICMPv6")).isEqualTo(58);
    assertThat(IpProto.parse("TCP")).isEqualTo(6);
    assertThat(IpProto.parse("50")).isEqualTo(50);
    assertThat(IpProto.parse("256")).isEqualTo(-1);
    assertThat(IpProto.parse("nope")).isEqualTo(-1);
    assertThat(IpProto.parse(null)).isEqualTo(-1);
  }

  @Test
  void classes() {
    assertThat(IpProto.isIcmp(1)).isTrue();
    assertThat(IpProto.isIcmp(58)).isTrue();
    assertThat(IpProto.isIcmp(6)).isFalse();
    assertThat(IpProto.hasPorts(6)).isTrue();
    assertThat(IpProto.hasPorts(17)).isTrue();
    assertThat(IpProto.hasPorts(132)).isTrue();
    assertThat(IpProto.hasPorts(1)).isFalse();
  }
}
