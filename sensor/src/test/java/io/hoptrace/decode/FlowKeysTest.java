package io.hoptrace.decode;

import static io.hoptrace.decode.Pkt.decodeEth;
import static io.hoptrace.decode.Pkt.eth;
import static io.hoptrace.decode.Pkt.icmpEcho;
import static io.hoptrace.decode.Pkt.ipv4;
import static io.hoptrace.decode.Pkt.ipv6;
import static io.hoptrace.decode.Pkt.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.schema.FiveTuple;
import org.junit.jupiter.api.Test;

class FlowKeysTest {

  @Test
  void requestAndReplyShareOneKeyWithOppositeDirections() {
    DecodedPacket req =
        decodeEth(eth(0x0800, ipv4("10.244.2.7", "10.244.1.5", 6, tcp(40000, 80, 1, 0, 2))));
    DecodedPacket rep =
        decodeEth(eth(0x0800, ipv4("10.244.1.5", "10.244.2.7", 6, tcp(80, 40000, 9, 2, 18))));
    assertThat(FlowKeys.key(req)).isEqualTo("6|10.244.1.5|80|10.244.2.7|40000");
    assertThat(FlowKeys.key(rep)).isEqualTo(FlowKeys.key(req));
    assertThat(req.flowForward()).isFalse();
    assertThat(rep.flowForward()).isTrue();
  }

  @Test
  void addressesOrderByBytesNotText() {
    // "9.0.0.1" > "10.0.0.1" as text, but lower as bytes
    assertThat(FlowKeys.key(17, IpAddress.parse("10.0.0.1"), 5, IpAddress.parse("9.0.0.1"), 6))
        .isEqualTo("17|9.0.0.1|6|10.0.0.1|5");
    assertThat(FlowKeys.key(17, IpAddress.parse("10.0.0.1"), 7, IpAddress.parse("10.0.0.1"), 5))
        .isEqualTo("17|10.0.0.1|5|10.0.0.1|7");
  }

  @Test
  void pingRequestAndReplyShareAKeyButSessionsDiffer() {
    DecodedPacket req =
        decodeEth(eth(0x0800, ipv4("10.0.0.1", "10.0.0.2", 1, icmpEcho(8, 77, 1, new byte[0]))));
    DecodedPacket rep =
        decodeEth(eth(0x0800, ipv4("10.0.0.2", "10.0.0.1", 1, icmpEcho(0, 77, 1, new byte[0]))));
    DecodedPacket other =
        decodeEth(eth(0x0800, ipv4("10.0.0.1", "10.0.0.2", 1, icmpEcho(8, 78, 1, new byte[0]))));
    assertThat(FlowKeys.key(req))
        .isEqualTo("1|10.0.0.1|77|10.0.0.2|0")
        .isEqualTo(FlowKeys.key(rep));
    assertThat(req.flowForward()).isTrue();
    assertThat(rep.flowForward()).isFalse();
    assertThat(FlowKeys.key(other)).isNotEqualTo(FlowKeys.key(req));
    DecodedPacket v6 =
        decodeEth(
            eth(0x86DD, ipv6("2001:db8::2", "2001:db8::1", 58, icmpEcho(129, 5, 1, new byte[0]))));
    assertThat(FlowKeys.key(v6)).isEqualTo("58|2001:db8::1|5|2001:db8::2|0");
  }

  @Test
  void avroTupleKeyMatchesDecodedKey() {
    FiveTuple t =
        FiveTuple.newBuilder()
            .setSrc("10.244.2.7")
            .setDst("10.244.1.5")
            .setProto(6)
            .setSport(40000)
            .setDport(80)
            .build();
    assertThat(SummaryMapper.flowKeyOf(t)).isEqualTo("6|10.244.1.5|80|10.244.2.7|40000");
  }
}
