package io.hoptrace.decode;

import static io.hoptrace.decode.Pkt.cat;
import static io.hoptrace.decode.Pkt.decodeEth;
import static io.hoptrace.decode.Pkt.eth;
import static io.hoptrace.decode.Pkt.hex;
import static io.hoptrace.decode.Pkt.ipv4;
import static io.hoptrace.decode.Pkt.tcp;
import static io.hoptrace.decode.Pkt.udp;
import static io.hoptrace.decode.Pkt.vxlan;
import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.capture.HopContext;
import io.hoptrace.schema.EncapType;
import io.hoptrace.schema.FlowDirection;
import io.hoptrace.schema.InterfaceRole;
import io.hoptrace.schema.PacketSummary;
import org.junit.jupiter.api.Test;

class SummaryMapperTest {
  private static final HopContext HOP =
      new HopContext("node-a", null, "ens33", InterfaceRole.UPLINK);

  @Test
  void vxlanTcpPacketBecomesAFullSummary() {
    byte[] inner =
        eth(0x0800, ipv4("10.244.2.7", "10.244.1.5", 6, tcp(40000, 80, 7, 0, TcpHeader.SYN)));
    byte[] frame =
        eth(0x0800, ipv4("192.168.1.11", "192.168.1.10", 17, udp(51000, 8472, vxlan(1, inner))));
    DecodedPacket p = decodeEth(frame);
    PacketSummary s = SummaryMapper.toAvro(HOP, 123L, frame.length, frame.length, p);
    assertThat(s.getNode()).isEqualTo("node-a");
    assertThat(s.getRole()).isEqualTo(InterfaceRole.UPLINK);
    assertThat(s.getTsNanos()).isEqualTo(123L);
    assertThat(s.getStatus()).isEqualTo("OK");
    assertThat(s.getEncap()).hasSize(1);
    assertThat(s.getEncap().get(0).getType()).isEqualTo(EncapType.VXLAN);
    assertThat(s.getEncap().get(0).getOuterSrc()).isEqualTo("192.168.1.11");
    assertThat(s.getEncap().get(0).getOuterDport()).isEqualTo(8472);
    assertThat(s.getEncap().get(0).getVni()).isEqualTo(1L);
    assertThat(s.getSrc()).isEqualTo("10.244.2.7");
    assertThat(s.getTcp().getFlags()).isEqualTo(TcpHeader.SYN);
    assertThat(s.getFlowKey()).isEqualTo("6|10.244.1.5|80|10.244.2.7|40000");
    assertThat(s.getFlowDirection()).isEqualTo(FlowDirection.B_TO_A);
    assertThat(s.getCommunityId()).startsWith("1:");
    assertThat(s.getFingerprint()).isEqualTo(p.fingerprint());
    assertThat(SummaryMapper.partitionKey(p)).isEqualTo(s.getFlowKey());
  }

  @Test
  void icmpErrorIsKeyedByTheFlowItIsAbout() {
    byte[] original = ipv4("10.244.1.5", "10.96.0.10", 17, udp(41000, 53, new byte[12]));
    byte[] icmp = cat(hex("03 03 00 00 00 00 00 00"), original);
    DecodedPacket p = decodeEth(eth(0x0800, ipv4("10.96.0.10", "10.244.1.5", 1, icmp)));
    PacketSummary s = SummaryMapper.toAvro(HOP, 1L, 0, 0, p);
    assertThat(s.getIcmp().getQuoted().getSrc()).isEqualTo("10.244.1.5");
    assertThat(s.getIcmp().getQuoted().getDport()).isEqualTo(53);
    assertThat(s.getIcmp().getQuotedInner()).isNull();
    assertThat(s.getFlowKey()).isEqualTo("1|10.96.0.10|3|10.244.1.5|3");
    assertThat(SummaryMapper.partitionKey(p)).isEqualTo("17|10.96.0.10|53|10.244.1.5|41000");
    assertThat(SummaryMapper.partitionKey(p))
        .isEqualTo(SummaryMapper.flowKeyOf(s.getIcmp().getQuoted()));
  }

  @Test
  void nonIpFrameHasNoFlowKey() {
    DecodedPacket p = decodeEth(eth(0x0806, new byte[28]));
    PacketSummary s = SummaryMapper.toAvro(HOP, 1L, 42, 42, p);
    assertThat(s.getStatus()).isEqualTo("UNSUPPORTED_ETHERTYPE");
    assertThat(s.getFlowKey()).isNull();
    assertThat(s.getSrc()).isNull();
    assertThat(SummaryMapper.partitionKey(p)).isNull();
  }
}
