package io.hoptrace.decode;

import static io.hoptrace.decode.Pkt.buf;
import static io.hoptrace.decode.Pkt.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.schema.CaptureDirection;
import org.junit.jupiter.api.Test;

class HeaderFlyweightsTest {

  @Test
  void ipv4HeaderFields() {
    byte[] b =
        hex(
            "46 00 00 54" // IPv4, IHL 6 (one option word), total 84
                + " 1c 46 40 00" // id 0x1c46, DF, offset 0
                + " 40 01 00 00" // TTL 64, ICMP, checksum
                + " c0 a8 00 01" // 192.168.0.1
                + " c0 a8 00 c7" // 192.168.0.199
                + " 01 01 01 00"); // options: NOP NOP NOP EOL
    Ipv4Header h = new Ipv4Header().wrap(buf(b), 0, b.length);
    IpAddress a = new IpAddress();
    assertThat(h.hasFixedHeader()).isTrue();
    assertThat(h.version()).isEqualTo(4);
    assertThat(h.headerLength()).isEqualTo(24);
    assertThat(h.totalLength()).isEqualTo(84);
    assertThat(h.identification()).isEqualTo(0x1c46);
    assertThat(h.dontFragment()).isTrue();
    assertThat(h.moreFragments()).isFalse();
    assertThat(h.fragmentOffset()).isZero();
    assertThat(h.ttl()).isEqualTo(64);
    assertThat(h.protocol()).isEqualTo(1);
    h.dst(a);
    assertThat(a).hasToString("192.168.0.199");
  }

  @Test
  void ipv6HeaderAndExtensionWalk() {
    byte[] b =
        hex(
            "60 00 00 00 00 18 00 40" // IPv6, payload 24, next header hop-by-hop, hop limit 64
                + " 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01" // 2001:db8::1
                + " 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02" // 2001:db8::2
                + " 2b 00 01 04 00 00 00 00" // hop-by-hop: next routing, PadN
                + " 11 00 00 00 00 00 00 00" // routing type 0, segments left 0 -> UDP
                + " 00 35 00 35 00 08 00 00"); // UDP 53 -> 53
    Ipv6Header h = new Ipv6Header().wrap(buf(b), 0, b.length);
    assertThat(h.version()).isEqualTo(6);
    assertThat(h.payloadLength()).isEqualTo(24);
    assertThat(h.hopLimit()).isEqualTo(64);
    assertThat(h.walkExtensions(64)).isEqualTo(Ipv6Header.WALK_OK);
    assertThat(h.upperProtocol()).isEqualTo(17);
    assertThat(h.upperOffset()).isEqualTo(56);
    assertThat(h.hasFragment()).isFalse();
    Ipv6Header cut = new Ipv6Header().wrap(buf(b), 0, 45);
    assertThat(cut.walkExtensions(64)).isEqualTo(Ipv6Header.WALK_TRUNCATED);
  }

  @Test
  void tcpHeaderWithSackBlocks() {
    byte[] b =
        hex(
            "9c 40 00 50" // 40000 -> 80
                + " 00 00 03 e8 00 00 07 d0" // seq 1000, ack 2000
                + " 80 10 01 f5 00 00 00 00" // data offset 8 (32 bytes), ACK, window 501
                + " 01 01 05 0a 00 00 0b b8 00 00 0f a0" // NOP NOP SACK one block 3000-4000
            );
    TcpHeader t = new TcpHeader().wrap(buf(b), 0, b.length);
    t.parseOptions();
    assertThat(t.srcPort()).isEqualTo(40000);
    assertThat(t.dstPort()).isEqualTo(80);
    assertThat(t.seq()).isEqualTo(1000);
    assertThat(t.ack()).isEqualTo(2000);
    assertThat(t.headerLength()).isEqualTo(32);
    assertThat(t.flags()).isEqualTo(TcpHeader.ACK);
    assertThat(t.window()).isEqualTo(501);
    assertThat(t.sackBlocks()).isEqualTo(1);
    assertThat(t.mss()).isEqualTo(-1);
  }

  @Test
  void udpIcmpDnsHeaders() {
    byte[] u = hex("d4 31 00 35 00 1c 00 00"); // 54321 -> 53, length 28
    UdpHeader udp = new UdpHeader().wrap(buf(u), 0, u.length);
    assertThat(udp.srcPort()).isEqualTo(54321);
    assertThat(udp.datagramLength()).isEqualTo(28);
    byte[] i = hex("03 04 00 00 00 00 05 aa"); // dest unreachable, frag needed, MTU 1450
    IcmpHeader icmp = new IcmpHeader().wrap(buf(i), 0, i.length);
    assertThat(icmp.type()).isEqualTo(3);
    assertThat(icmp.nextHopMtu()).isEqualTo(1450);
    assertThat(IcmpHeader.isError(icmp.type())).isTrue();
    byte[] i6 = hex("02 00 00 00 00 00 05 00"); // packet too big, MTU 1280
    assertThat(new Icmpv6Header().wrap(buf(i6), 0, 8).mtu()).isEqualTo(1280);
    byte[] d = hex("ab cd 81 83 00 01 00 00 00 00 00 00"); // response, NXDOMAIN
    DnsHeader dns = new DnsHeader().wrap(buf(d), 0, d.length);
    assertThat(dns.id()).isEqualTo(0xabcd);
    assertThat(dns.isResponse()).isTrue();
    assertThat(dns.rcode()).isEqualTo(3);
    assertThat(dns.qdcount()).isEqualTo(1);
  }

  @Test
  void linkHeaders() {
    byte[] e = hex("ff ff ff ff ff ff 02 00 00 00 00 01 81 00 00 64 08 00"); // 802.1Q vid 100
    EthernetHeader eth = new EthernetHeader().wrap(buf(e), 0, e.length);
    assertThat(eth.etherType()).isEqualTo(0x8100);
    assertThat(eth.srcMac()).isEqualTo(0x020000000001L);
    VlanTag tag = new VlanTag().wrap(buf(e), 14, 4);
    assertThat(tag.vlanId()).isEqualTo(100);
    assertThat(tag.nextType()).isEqualTo(0x0800);
    byte[] sll = hex("00 04 00 01 00 06 02 00 00 00 00 01 00 00 08 00"); // outgoing, IPv4
    SllHeader s = new SllHeader().wrap(buf(sll), 0, sll.length);
    assertThat(SllHeader.direction(s.packetType())).isEqualTo(CaptureDirection.OUTBOUND);
    assertThat(s.protocol()).isEqualTo(0x0800);
    byte[] sll2 = hex("86 dd 00 00 00 00 00 1a 00 01 03 06 02 00 00 00 00 01 00 00"); // if 26
    Sll2Header s2 = new Sll2Header().wrap(buf(sll2), 0, sll2.length);
    assertThat(s2.ifIndex()).isEqualTo(26);
    assertThat(SllHeader.direction(s2.packetType())).isEqualTo(CaptureDirection.OTHERHOST);
  }
}
