package io.hoptrace.synth;

import static io.hoptrace.synth.PacketBuilder.ACK;
import static io.hoptrace.synth.PacketBuilder.PROTO_TCP;
import static io.hoptrace.synth.PacketBuilder.PROTO_UDP;
import static io.hoptrace.synth.PacketBuilder.SYN;
import static io.hoptrace.synth.PacketBuilder.ip4;
import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.synth.PacketBuilder.Underlay;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class PacketBuilderTest {
  private static final int A = ip4("10.244.1.5");
  private static final int B = ip4("10.244.2.9");

  private static byte[] syn() {
    byte[] tcp =
        PacketBuilder.tcp(
            40000,
            443,
            1000,
            0,
            SYN,
            64240,
            PacketBuilder.linuxSynOptions(1460, 7, 1, 0),
            new byte[0]);
    return PacketBuilder.ipv4(A, B, PROTO_TCP, 64, 77, true, tcp);
  }

  @Test
  void ipv4HeaderAndTcpChecksumsVerify() {
    byte[] ip = syn();
    assertThat(PacketBuilder.checksum(ip, 0, 20, 0)).isZero();
    long pseudo =
        (A >>> 16) + (A & 0xFFFF) + (B >>> 16) + (B & 0xFFFF) + PROTO_TCP + ip.length - 20;
    assertThat(PacketBuilder.checksum(ip, 20, ip.length - 20, pseudo)).isZero();
    ByteBuffer b = ByteBuffer.wrap(ip);
    assertThat(b.getShort(4)).isEqualTo((short) 77);
    assertThat(b.getShort(6) & 0x4000).isNotZero();
    assertThat(ip[8]).isEqualTo((byte) 64);
    assertThat((ip[20 + 12] & 0xFF) >>> 4).isEqualTo(10); // 20 + 20 bytes of SYN options
  }

  @Test
  void ipv6UdpChecksumVerifiesOverThePseudoHeader() {
    byte[] src = PacketBuilder.ip6(0xFD00000000000000L, 1);
    byte[] dst = PacketBuilder.ip6(0xFD00000000000000L, 2);
    byte[] ip =
        PacketBuilder.ipv6(
            src, dst, PROTO_UDP, 64, 0x12345, PacketBuilder.udp(1000, 53, new byte[9]));
    long pseudo = 0xFD00 * 2 + 1 + 2 + 17 + 17;
    assertThat(PacketBuilder.checksum(ip, 40, 17, pseudo)).isZero();
    assertThat(ByteBuffer.wrap(ip).getShort(4)).isEqualTo((short) 17);
  }

  @Test
  void qinqUses88a8OutsideAnd8100InsideAndPadsToTheMinimumFrame() {
    byte[] f = PacketBuilder.ethernet(1, 2, PacketBuilder.ETH_IPV4, new byte[4], 100, 200);
    ByteBuffer b = ByteBuffer.wrap(f);
    assertThat(f).hasSize(60);
    assertThat(b.getShort(12) & 0xFFFF).isEqualTo(0x88A8);
    assertThat(b.getShort(14)).isEqualTo((short) 100);
    assertThat(b.getShort(16) & 0xFFFF).isEqualTo(0x8100);
    assertThat(b.getShort(18)).isEqualTo((short) 200);
    assertThat(b.getShort(20) & 0xFFFF).isEqualTo(0x0800);
  }

  @Test
  void vxlanFrameCarriesVniOnThePortWithAFlowHashedSourcePortPerDirection() {
    Underlay nodes =
        new Underlay(0x020000000001L, 0x020000000002L, ip4("10.0.0.1"), ip4("10.0.0.2"));
    byte[] inner = PacketBuilder.ethernetIp(3, 4, syn());
    byte[] f = PacketBuilder.vxlanFrame(nodes, 8472, 42, 1, inner);
    ByteBuffer b = ByteBuffer.wrap(f);
    assertThat(b.getShort(14 + 20 + 2)).isEqualTo((short) 8472);
    assertThat(b.getInt(14 + 20 + 8 + 4) >>> 8).isEqualTo(42);
    assertThat(f).hasSize(14 + 20 + 8 + 8 + inner.length);
    int sport = b.getShort(14 + 20) & 0xFFFF;
    assertThat(sport).isBetween(32768, 60999).isEqualTo(PacketBuilder.tunnelSourcePort(inner));
    byte[] otherFlow =
        PacketBuilder.ethernetIp(
            3,
            4,
            PacketBuilder.ipv4(
                B,
                A,
                PROTO_TCP,
                64,
                1,
                true,
                PacketBuilder.tcp(443, 40000, 1, 1, ACK, 1, new byte[0], new byte[0])));
    assertThat(PacketBuilder.tunnelSourcePort(otherFlow)).isNotEqualTo(sport);
  }

  @Test
  void fragNeededQuotesTheOffendingPacketAndCarriesTheMtu() {
    byte[] big =
        PacketBuilder.ipv4(A, B, PROTO_UDP, 64, 1, true, PacketBuilder.udp(1, 2, new byte[1400]));
    byte[] icmp = PacketBuilder.icmpFragNeeded(1450, big);
    assertThat(icmp).hasSize(8 + PacketBuilder.ICMP_QUOTE_MAX);
    assertThat(ByteBuffer.wrap(icmp).getShort(6)).isEqualTo((short) 1450);
    assertThat(icmp[8]).isEqualTo((byte) 0x45);
    byte[] ip = PacketBuilder.ipv4(B, A, PacketBuilder.PROTO_ICMP, 64, 2, false, icmp);
    assertThat(PacketBuilder.checksum(ip, 20, icmp.length, 0)).isZero();
  }

  @Test
  void geneveOptionLengthIsCountedInWords() {
    byte[] opt = PacketBuilder.geneveOption(0x0102, 0x80, new byte[] {1, 2, 3, 4, 5});
    assertThat(opt).hasSize(12);
    assertThat(opt[3]).isEqualTo((byte) 2);
    byte[] g = PacketBuilder.geneve(7, PacketBuilder.ETH_TEB, opt, new byte[14]);
    assertThat(g[0]).isEqualTo((byte) 3);
    assertThat(ByteBuffer.wrap(g).getInt(4) >>> 8).isEqualTo(7);
  }

  @Test
  void dnsResponseCountsItsAnswersAndSetsTheRcode() {
    byte[] r = PacketBuilder.dnsResponse(0xBEEF, 3, "a.example.com", 1);
    ByteBuffer b = ByteBuffer.wrap(r);
    assertThat(b.getShort(0) & 0xFFFF).isEqualTo(0xBEEF);
    assertThat(b.getShort(2) & 0x800F).isEqualTo(0x8003);
    assertThat(PacketBuilder.dnsResponse(1, 0, "a.b", 1, A, B)).hasSize(12 + 5 + 4 + 32);
  }
}
