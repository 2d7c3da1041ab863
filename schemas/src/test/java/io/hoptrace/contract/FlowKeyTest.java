package io.hoptrace.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.schema.FiveTuple;
import io.hoptrace.schema.FlowDirection;
import io.hoptrace.schema.IcmpInfo;
import org.junit.jupiter.api.Test;

class FlowKeyTest {
  /** Test double of a decoder's address holder: writes canonical text. */
  private record Addr(String text) implements FlowKey.AddressText {
    @Override
    public StringBuilder appendTo(StringBuilder sb) {
      return sb.append(IpText.canonical(text));
    }
  }

  @Test
  void endpointsAreOrderedByAddressThenPortAndBothDirectionsShareTheKey() {
    String req = FlowKey.key(IpProto.TCP, "10.244.2.7", 40000, "10.244.1.5", 80);
    String rep = FlowKey.key(IpProto.TCP, "10.244.1.5", 80, "10.244.2.7", 40000);
    assertThat(req).isEqualTo("6|10.244.1.5|80|10.244.2.7|40000").isEqualTo(rep);
    // numeric, not textual, address order: 10.0.0.2 < 10.0.0.10
    assertThat(FlowKey.key(IpProto.UDP, "10.0.0.10", 1, "10.0.0.2", 2))
        .isEqualTo("17|10.0.0.2|2|10.0.0.10|1");
    // the address decides before the port
    assertThat(FlowKey.key(IpProto.UDP, "10.0.0.1", 5, "9.0.0.1", 6))
        .isEqualTo("17|9.0.0.1|6|10.0.0.1|5");
  }

  @Test
  void equalAddressesAreOrderedByPort() {
    assertThat(FlowKey.key(IpProto.UDP, "10.0.0.1", 7, "10.0.0.1", 5))
        .isEqualTo("17|10.0.0.1|5|10.0.0.1|7")
        .isEqualTo(FlowKey.key(IpProto.UDP, "10.0.0.1", 5, "10.0.0.1", 7));
    assertThat(FlowKey.isAtoB("10.0.0.1", 5, "10.0.0.1", 7)).isTrue();
    assertThat(FlowKey.isAtoB("10.0.0.1", 7, "10.0.0.1", 5)).isFalse();
    // identical endpoints (e.g. a packet to itself): A→B
    assertThat(FlowKey.isAtoB("10.0.0.1", 5, "10.0.0.1", 5)).isTrue();
  }

  @Test
  void ipv6IsCanonicalTextAndSortsAfterIpv4() {
    assertThat(FlowKey.key(IpProto.ICMPV6, "2001:DB8:0:0:0:0:0:2", 0, "2001:db8::1", 5))
        .isEqualTo("58|2001:db8::1|5|2001:db8::2|0");
    // bytes compared unsigned: 2001:db8::ff00 > 2001:db8::1
    assertThat(FlowKey.key(IpProto.TCP, "2001:db8::ff00", 1, "2001:db8::1", 2))
        .isEqualTo("6|2001:db8::1|2|2001:db8::ff00|1");
    assertThat(FlowKey.isAtoB("255.255.255.255", 9, "::1", 1)).isTrue();
    // an IPv4-mapped address stays IPv6 text, as the sensor writes it
    assertThat(FlowKey.key(IpProto.TCP, "::ffff:10.0.0.2", 80, "::FFFF:10.0.0.1", 4000))
        .isEqualTo("6|::ffff:10.0.0.1|4000|::ffff:10.0.0.2|80");
  }

  @Test
  void absentPortsAreMinusOne() {
    assertThat(FlowKey.key(IpProto.GRE, "10.0.0.2", FlowKey.NO_PORT, "10.0.0.1", FlowKey.NO_PORT))
        .isEqualTo("47|10.0.0.1|-1|10.0.0.2|-1");
  }

  @Test
  void directionOfAPacket() {
    assertThat(FlowKey.direction("10.0.0.1", 40000, "10.0.0.2", 80))
        .isEqualTo(FlowDirection.A_TO_B);
    assertThat(FlowKey.direction("10.0.0.2", 80, "10.0.0.1", 40000))
        .isEqualTo(FlowDirection.B_TO_A);
    FlowKey k = FlowKey.of(IpProto.TCP, "10.0.0.2", 80, "10.0.0.1", 40000);
    assertThat(k.directionOf("10.0.0.1", 40000)).isEqualTo(FlowDirection.A_TO_B);
    assertThat(k.directionOf("10.0.0.2", 80)).isEqualTo(FlowDirection.B_TO_A);
    assertThat(FlowKey.isAtoB(-1, 9, 1)).isTrue();
    assertThat(FlowKey.isAtoB(1, 1, 9)).isFalse();
    assertThat(FlowKey.isAtoB(0, 1, 9)).isTrue();
  }

  @Test
  void valueAndParseRoundTrip() {
    FlowKey k = FlowKey.of(IpProto.UDP, "2001:db8::2", 53, "2001:db8::1", 33000);
    assertThat(k.proto()).isEqualTo(17);
    assertThat(k.addrA()).isEqualTo("2001:db8::1");
    assertThat(k.portA()).isEqualTo(33000);
    assertThat(k.addrB()).isEqualTo("2001:db8::2");
    assertThat(k.portB()).isEqualTo(53);
    assertThat(FlowKey.parse(k.toString())).isEqualTo(k).hasSameHashCodeAs(k);
    assertThatThrownBy(() -> FlowKey.parse("6|10.0.0.2|1|10.0.0.1|2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("canonical");
    assertThatThrownBy(() -> FlowKey.parse("6|10.0.0.1|1|10.0.0.2"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FlowKey.parse("tcp|10.0.0.1|1|10.0.0.2|2"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FlowKey.parse("6|host|1|10.0.0.2|2"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void icmpErrorsThatBelongToTheQuotedFlow() {
    assertThat(FlowKey.keyedByQuotedFlow(IpProto.ICMP, 3)).isTrue();
    assertThat(FlowKey.keyedByQuotedFlow(IpProto.ICMP, 11)).isTrue();
    assertThat(FlowKey.keyedByQuotedFlow(IpProto.ICMP, 12)).isFalse(); // parameter problem
    assertThat(FlowKey.keyedByQuotedFlow(IpProto.ICMP, 5)).isFalse(); // redirect
    assertThat(FlowKey.keyedByQuotedFlow(IpProto.ICMP, 8)).isFalse();
    assertThat(FlowKey.keyedByQuotedFlow(IpProto.ICMPV6, 1)).isTrue();
    assertThat(FlowKey.keyedByQuotedFlow(IpProto.ICMPV6, 2)).isTrue();
    assertThat(FlowKey.keyedByQuotedFlow(IpProto.ICMPV6, 3)).isTrue();
    assertThat(FlowKey.keyedByQuotedFlow(IpProto.ICMPV6, 4)).isFalse(); // parameter problem
    assertThat(FlowKey.keyedByQuotedFlow(IpProto.UDP, 3)).isFalse();
  }

  @Test
  void theFlowAnIcmpErrorIsAboutIsTheInnermostQuotedTuple() {
    FiveTuple outer = tuple(IpProto.UDP, "192.168.0.1", 40000, "192.168.0.2", 8472);
    FiveTuple inner = tuple(IpProto.TCP, "10.244.0.2", 40021, "10.244.1.2", 8080);
    IcmpInfo i = new IcmpInfo();
    assertThat(FlowKey.quotedFlow(i)).isNull();
    i.setQuoted(outer);
    assertThat(FlowKey.quotedFlow(i)).isSameAs(outer);
    i.setQuotedInner(inner);
    assertThat(FlowKey.quotedFlow(i)).isSameAs(inner);
  }

  private static FiveTuple tuple(int proto, String src, int sport, String dst, int dport) {
    FiveTuple t = new FiveTuple();
    t.setIpVersion(4);
    t.setProto(proto);
    t.setSrc(src);
    t.setSport(sport);
    t.setDst(dst);
    t.setDport(dport);
    return t;
  }

  @Test
  void flyweightWriterGivesTheSameText() {
    Addr a = new Addr("2001:db8::1");
    Addr b = new Addr("2001:db8::2");
    assertThat(FlowKey.append(new StringBuilder(), 58, a, 5, b, 0).toString())
        .isEqualTo(FlowKey.key(58, "2001:db8::2", 0, "2001:db8::1", 5));
  }
}
