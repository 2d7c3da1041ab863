package io.hoptrace.decode;

import static io.hoptrace.decode.Pkt.cat;
import static io.hoptrace.decode.Pkt.decode;
import static io.hoptrace.decode.Pkt.decodeEth;
import static io.hoptrace.decode.Pkt.eth;
import static io.hoptrace.decode.Pkt.ethTagged;
import static io.hoptrace.decode.Pkt.hex;
import static io.hoptrace.decode.Pkt.icmpEcho;
import static io.hoptrace.decode.Pkt.ipv4;
import static io.hoptrace.decode.Pkt.ipv6;
import static io.hoptrace.decode.Pkt.tag;
import static io.hoptrace.decode.Pkt.tcp;
import static io.hoptrace.decode.Pkt.u16;
import static io.hoptrace.decode.Pkt.u32;
import static io.hoptrace.decode.Pkt.udp;
import static io.hoptrace.decode.Pkt.vxlan;
import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.capture.LinkType;
import io.hoptrace.schema.CaptureDirection;
import io.hoptrace.schema.EncapType;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PacketDecoderTest {

  private static final byte[] SYN =
      tcp(
          40000,
          80,
          1000,
          0,
          TcpHeader.SYN,
          // MSS 1460, SACK permitted, TS 7/0, NOP, wscale 7
          hex("02 04 05 b4 04 02 08 0a 00 00 00 07 00 00 00 00 01 03 03 07"),
          new byte[0]);

  @Test
  void plainEthernetTcpSynWithOptions() {
    DecodedPacket p = decodeEth(eth(0x0800, ipv4("10.244.1.5", "10.244.2.7", 6, SYN)));
    assertThat(p.status()).isEqualTo(DecodeStatus.OK);
    assertThat(p.ipVersion()).isEqualTo(4);
    assertThat(p.src()).hasToString("10.244.1.5");
    assertThat(p.dst()).hasToString("10.244.2.7");
    assertThat(p.proto()).isEqualTo(6);
    assertThat(p.sport()).isEqualTo(40000);
    assertThat(p.dport()).isEqualTo(80);
    assertThat(p.ttl()).isEqualTo(64);
    assertThat(p.ipId()).isEqualTo(0x1234);
    assertThat(p.df()).isTrue();
    assertThat(p.hasTcp()).isTrue();
    assertThat(p.tcpFlags()).isEqualTo(TcpHeader.SYN);
    assertThat(p.tcpSeq()).isEqualTo(1000);
    assertThat(p.tcpMss()).isEqualTo(1460);
    assertThat(p.tcpWscale()).isEqualTo(7);
    assertThat(p.tcpSackPermitted()).isTrue();
    assertThat(p.tcpTsVal()).isEqualTo(7);
    assertThat(p.tcpTsEcr()).isEqualTo(0);
    assertThat(p.payloadLength()).isZero();
    assertThat(p.encapDepth()).isZero();
    assertThat(p.flowForward()).isTrue();
  }

  @Test
  void vlanAndQinqTagStacksAreRecordedOutermostFirst() {
    byte[] icmp = ipv4("10.0.0.1", "10.0.0.2", 1, icmpEcho(8, 7, 1, new byte[8]));
    DecodedPacket q = decodeEth(ethTagged(cat(tag(0x8100, 100)), 0x0800, icmp));
    assertThat(q.vlanCount()).isEqualTo(1);
    assertThat(q.vlan(0)).isEqualTo(100);
    DecodedPacket qinq =
        decodeEth(ethTagged(cat(tag(0x88A8, 200), tag(0x8100, 2001)), 0x0800, icmp));
    assertThat(qinq.status()).isEqualTo(DecodeStatus.OK);
    assertThat(qinq.vlanCount()).isEqualTo(2);
    assertThat(qinq.vlan(0)).isEqualTo(200);
    assertThat(qinq.vlan(1)).isEqualTo(2001);
    DecodedPacket old = decodeEth(ethTagged(cat(tag(0x9100, 5), tag(0x8100, 6)), 0x0800, icmp));
    assertThat(old.vlanCount()).isEqualTo(2);
    assertThat(old.icmpType()).isEqualTo(8);
  }

  @Test
  void arpIsAStatusNotAnError() {
    DecodedPacket p = decodeEth(eth(0x0806, new byte[28]));
    assertThat(p.status()).isEqualTo(DecodeStatus.UNSUPPORTED_ETHERTYPE);
    assertThat(p.hasIp()).isFalse();
    assertThat(p.fingerprint()).isZero();
  }

  @Test
  void linuxCookedV1GivesDirection() {
    byte[] sll =
        cat(
            hex("00 04 00 01 00 06 02 00 00 00 00 01 00 00"), // outgoing, ARPHRD_ETHER, addr len 6
            u16(0x0800),
            ipv4("10.0.0.1", "10.0.0.2", 6, SYN));
    DecodedPacket p = decode(LinkType.LINUX_SLL, sll);
    assertThat(p.status()).isEqualTo(DecodeStatus.OK);
    assertThat(p.captureDirection()).isEqualTo(CaptureDirection.OUTBOUND);
    assertThat(p.ifIndex()).isEqualTo(-1);
    assertThat(p.sport()).isEqualTo(40000);
  }

  @Test
  void linuxCookedV2GivesInterfaceIndexAndDirection() {
    byte[] sll2 =
        cat(
            u16(0x86DD),
            hex("00 00"),
            u32(26), // ifindex
            hex("00 01 00 06 02 00 00 00 00 01 00 00"), // ARPHRD_ETHER, PACKET_HOST, addr len 6
            ipv6("fd00::1", "fd00::2", 17, udp(5353, 53, new byte[12])));
    DecodedPacket p = decode(LinkType.LINUX_SLL2, sll2);
    assertThat(p.status()).isEqualTo(DecodeStatus.OK);
    assertThat(p.ifIndex()).isEqualTo(26);
    assertThat(p.captureDirection()).isEqualTo(CaptureDirection.INBOUND);
    assertThat(p.ipVersion()).isEqualTo(6);
    assertThat(p.src()).hasToString("fd00::1");
    assertThat(p.hasDns()).isTrue();
  }

  @Test
  void rawAndLoopbackLinkTypes() {
    byte[] v4 = ipv4("192.0.2.1", "192.0.2.2", 17, udp(1, 2, new byte[0]));
    byte[] v6 = ipv6("2001:db8::1", "2001:db8::2", 17, udp(1, 2, new byte[0]));
    assertThat(decode(LinkType.RAW, v4).src()).hasToString("192.0.2.1");
    assertThat(decode(LinkType.RAW, v6).src()).hasToString("2001:db8::1");
    assertThat(decode(12, v4).status()).isEqualTo(DecodeStatus.OK);
    assertThat(decode(LinkType.IPV4, v4).sport()).isEqualTo(1);
    assertThat(decode(LinkType.IPV6, v6).dport()).isEqualTo(2);
    assertThat(decode(LinkType.IPV4, v6).status()).isEqualTo(DecodeStatus.BAD_IP_VERSION);
    // BSD loopback: AF_INET in host order (little-endian) and network order
    assertThat(decode(LinkType.NULL, cat(hex("02 00 00 00"), v4)).status())
        .isEqualTo(DecodeStatus.OK);
    assertThat(decode(LinkType.LOOP, cat(hex("00 00 00 02"), v4)).ipVersion()).isEqualTo(4);
    assertThat(decode(LinkType.NULL, cat(hex("1e 00 00 00"), v6)).ipVersion()).isEqualTo(6);
    assertThat(decode(999, v4).status()).isEqualTo(DecodeStatus.UNSUPPORTED_LINKTYPE);
  }

  @Test
  void vxlanOnFlannelPort8472DecodesTheInnerPacket() {
    byte[] inner = eth(0x0800, ipv4("10.244.1.5", "10.244.2.7", 6, 63, 0x4242, 0x4000, SYN));
    byte[] outer =
        eth(
            0x0800,
            ipv4("192.168.1.10", "192.168.1.11", 17, 64, 7, 0, udp(51000, 8472, vxlan(1, inner))));
    DecodedPacket p = decodeEth(outer);
    assertThat(p.status()).isEqualTo(DecodeStatus.OK);
    assertThat(p.encapDepth()).isEqualTo(1);
    EncapInfo e = p.encap(0);
    assertThat(e.type()).isEqualTo(EncapType.VXLAN);
    assertThat(e.outerSrc()).hasToString("192.168.1.10");
    assertThat(e.outerDst()).hasToString("192.168.1.11");
    assertThat(e.outerSport()).isEqualTo(51000);
    assertThat(e.outerDport()).isEqualTo(8472);
    assertThat(e.vni()).isEqualTo(1);
    assertThat(e.outerTtl()).isEqualTo(64);
    assertThat(e.outerDf()).isFalse();
    assertThat(e.outerLength()).isEqualTo(outer.length - 14);
    assertThat(p.src()).hasToString("10.244.1.5");
    assertThat(p.dport()).isEqualTo(80);
    assertThat(p.ttl()).isEqualTo(63);
    assertThat(p.ipId()).isEqualTo(0x4242);
    assertThat(p.tcpFlags()).isEqualTo(TcpHeader.SYN);
  }

  @Test
  void vxlanOn4789AndConfiguredPorts() {
    byte[] inner = eth(0x0800, ipv4("10.0.0.1", "10.0.0.2", 1, icmpEcho(8, 1, 1, new byte[0])));
    byte[] outer =
        eth(0x0800, ipv4("192.168.1.1", "192.168.1.2", 17, udp(1234, 4789, vxlan(5000, inner))));
    DecodedPacket p = decodeEth(outer);
    assertThat(p.encap(0).vni()).isEqualTo(5000);
    assertThat(p.icmpType()).isEqualTo(8);
    byte[] odd =
        eth(0x0800, ipv4("192.168.1.1", "192.168.1.2", 17, udp(1234, 9999, vxlan(5, inner))));
    assertThat(decodeEth(odd).encapDepth()).isZero();
    DecodedPacket q = new DecodedPacket();
    new PacketDecoder(DecoderConfig.defaults().withVxlanPorts(Set.of(9999)))
        .decode(LinkType.ETHERNET, Pkt.buf(odd), 0, odd.length, odd.length, q);
    assertThat(q.encapDepth()).isEqualTo(1);
    assertThat(q.src()).hasToString("10.0.0.1");
  }

  @Test
  void udpTo8472ThatIsNotVxlanStaysPlainUdp() {
    // ESP over UDP to 8472: first byte 0xc0 has no VXLAN I flag (tcpdump esp_truncated.pcap)
    byte[] esp = hex("c0 f7 d4 c3 00 00 00 01 aa bb cc dd");
    DecodedPacket p =
        decodeEth(eth(0x0800, ipv4("10.0.0.1", "10.0.0.2", 17, udp(4500, 8472, esp))));
    assertThat(p.status()).isEqualTo(DecodeStatus.OK);
    assertThat(p.encapDepth()).isZero();
    assertThat(p.dport()).isEqualTo(8472);
    // I flag set but reserved bits non-zero: not VXLAN on 8472, VXLAN on 4789
    byte[] gbp = cat(hex("88 00 00 01 00 00 05 00"), eth(0x0806, new byte[28]));
    assertThat(
            decodeEth(eth(0x0800, ipv4("10.0.0.1", "10.0.0.2", 17, udp(1, 8472, gbp))))
                .encapDepth())
        .isZero();
    assertThat(
            decodeEth(eth(0x0800, ipv4("10.0.0.1", "10.0.0.2", 17, udp(1, 4789, gbp))))
                .encapDepth())
        .isEqualTo(1);
  }

  @Test
  void geneveWithOptionsAndIpPayload() {
    byte[] inner = ipv4("30.0.0.1", "30.0.0.2", 6, SYN);
    byte[] geneve =
        cat(
            hex("02 00 08 00"), // ver 0, opt len 2 (8 bytes), protocol IPv4
            hex("00 00 0a 00"), // VNI 10
            hex("01 02 03 01 de ad be ef"), // one option: class 0x0102 type 3 len 1
            inner);
    DecodedPacket p =
        decodeEth(eth(0x0800, ipv4("20.0.0.1", "20.0.0.2", 17, udp(33000, 6081, geneve))));
    assertThat(p.status()).isEqualTo(DecodeStatus.OK);
    assertThat(p.encap(0).type()).isEqualTo(EncapType.GENEVE);
    assertThat(p.encap(0).vni()).isEqualTo(10);
    assertThat(p.src()).hasToString("30.0.0.1");
    assertThat(p.sport()).isEqualTo(40000);
    byte[] badVersion = cat(hex("42 00 65 58 00 00 0a 00"), eth(0x0800, inner));
    assertThat(
            decodeEth(eth(0x0800, ipv4("20.0.0.1", "20.0.0.2", 17, udp(1, 6081, badVersion))))
                .status())
        .isEqualTo(DecodeStatus.BAD_GENEVE);
  }

  @Test
  void ipInIpAllFourKinds() {
    byte[] in4 = ipv4("10.0.0.1", "10.0.0.2", 17, udp(30000, 13000, new byte[4]));
    byte[] in6 = ipv6("dead::beef", "cafe::babe", 17, udp(30000, 13000, new byte[4]));
    DecodedPacket p44 = decode(LinkType.RAW, ipv4("1.2.3.4", "5.6.7.8", 4, in4));
    DecodedPacket p64 = decode(LinkType.RAW, ipv4("1.2.3.4", "5.6.7.8", 41, in6));
    DecodedPacket p46 = decode(LinkType.RAW, ipv6("2001:db8::1", "2001:db8::2", 4, in4));
    DecodedPacket p66 = decode(LinkType.RAW, ipv6("2001:db8::1", "2001:db8::2", 41, in6));
    for (DecodedPacket p : new DecodedPacket[] {p44, p64, p46, p66}) {
      assertThat(p.status()).isEqualTo(DecodeStatus.OK);
      assertThat(p.encapDepth()).isEqualTo(1);
      assertThat(p.encap(0).type()).isEqualTo(EncapType.IPIP);
      assertThat(p.encap(0).outerSport()).isEqualTo(-1);
      assertThat(p.sport()).isEqualTo(30000);
    }
    assertThat(p44.encap(0).outerSrc()).hasToString("1.2.3.4");
    assertThat(p64.src()).hasToString("dead::beef");
    assertThat(p46.encap(0).outerDst()).hasToString("2001:db8::2");
    assertThat(p46.src()).hasToString("10.0.0.1");
    assertThat(p66.dst()).hasToString("cafe::babe");
    // 4in4 announced but the inner is IPv6
    assertThat(decode(LinkType.RAW, ipv4("1.2.3.4", "5.6.7.8", 4, in6)).status())
        .isEqualTo(DecodeStatus.BAD_IP_VERSION);
  }

  @Test
  void greWithKeyAndTransparentEthernetBridging() {
    byte[] inner = ipv4("172.16.0.1", "172.16.0.2", 1, icmpEcho(8, 9, 1, new byte[0]));
    byte[] greIp = cat(hex("20 00 08 00"), u32(0x28), inner); // K set, IPv4, key 40
    DecodedPacket p = decodeEth(eth(0x0800, ipv4("10.172.64.7", "10.172.64.6", 47, greIp)));
    assertThat(p.status()).isEqualTo(DecodeStatus.OK);
    assertThat(p.encap(0).type()).isEqualTo(EncapType.GRE);
    assertThat(p.encap(0).vni()).isEqualTo(40);
    assertThat(p.src()).hasToString("172.16.0.1");
    byte[] teb = cat(hex("30 00 65 58"), u32(7), u32(1), eth(0x0800, inner)); // K+S, TEB
    DecodedPacket t = decodeEth(eth(0x0800, ipv4("10.0.0.1", "10.0.0.2", 47, teb)));
    assertThat(t.status()).isEqualTo(DecodeStatus.OK);
    assertThat(t.encap(0).vni()).isEqualTo(7);
    assertThat(t.icmpId()).isEqualTo(9);
    byte[] noKey = cat(hex("00 00 86 dd"), ipv6("fd00::1", "fd00::2", 59, new byte[0]));
    DecodedPacket n = decodeEth(eth(0x0800, ipv4("10.0.0.1", "10.0.0.2", 47, noKey)));
    assertThat(n.encap(0).vni()).isEqualTo(-1);
    assertThat(n.ipVersion()).isEqualTo(6);
    byte[] routing = cat(hex("40 00 08 00"), new byte[8]);
    assertThat(decodeEth(eth(0x0800, ipv4("10.0.0.1", "10.0.0.2", 47, routing))).status())
        .isEqualTo(DecodeStatus.BAD_GRE);
  }

  @Test
  void pptpEnhancedGreCarryingPpp() {
    byte[] inner = ipv4("172.16.44.3", "8.8.8.8", 17, udp(40768, 53, new byte[12]));
    // GRE v1: K+S set, version 1, PPP; payload length, call id 6016, seq 1; PPP FF03 0021
    byte[] gre =
        cat(
            hex("30 01 88 0b"),
            u16(inner.length + 4),
            u16(6016),
            u32(1),
            hex("ff 03 00 21"),
            inner);
    DecodedPacket p = decodeEth(eth(0x0800, ipv4("16.0.0.200", "192.52.166.154", 47, gre)));
    assertThat(p.status()).isEqualTo(DecodeStatus.OK);
    assertThat(p.encap(0).vni()).isEqualTo(6016);
    assertThat(p.dport()).isEqualTo(53);
    assertThat(p.hasDns()).isTrue();
    byte[] ackOnly = cat(hex("20 81 88 0b"), u16(0), u16(6016), u32(5)); // K+A, no payload
    DecodedPacket a = decodeEth(eth(0x0800, ipv4("16.0.0.200", "192.52.166.154", 47, ackOnly)));
    assertThat(a.status()).isEqualTo(DecodeStatus.OK);
    assertThat(a.encapDepth()).isEqualTo(1);
  }

  @Test
  void nestingBeyondTheConfiguredDepthStopsWithTooManyLayers() {
    byte[] pkt = ipv4("10.0.0.1", "10.0.0.2", 17, udp(1, 2, new byte[0]));
    for (int i = 0; i < 5; i++) {
      pkt = ipv4("192.0.2." + (i + 1), "198.51.100." + (i + 1), 4, pkt);
    }
    DecodedPacket p = decode(LinkType.RAW, pkt);
    assertThat(p.status()).isEqualTo(DecodeStatus.TOO_MANY_LAYERS);
    assertThat(p.encapDepth()).isEqualTo(4);
    assertThat(p.encap(0).outerSrc()).hasToString("192.0.2.5");
    assertThat(p.src()).hasToString("192.0.2.1"); // last IP packet decoded
    DecodedPacket q = new DecodedPacket();
    new PacketDecoder(DecoderConfig.defaults().withMaxEncapDepth(8))
        .decode(LinkType.RAW, Pkt.buf(pkt), 0, pkt.length, pkt.length, q);
    assertThat(q.status()).isEqualTo(DecodeStatus.OK);
    assertThat(q.encapDepth()).isEqualTo(5);
    assertThat(q.src()).hasToString("10.0.0.1");
  }

  @Test
  void icmpPortUnreachableQuotesTheUdpFlow() {
    byte[] original =
        ipv4("192.168.1.102", "192.168.1.1", 17, 64, 0xabcd, 0, udp(59207, 53, new byte[20]));
    byte[] icmp = cat(hex("03 03 00 00 00 00 00 00"), original);
    DecodedPacket p = decodeEth(eth(0x0800, ipv4("192.168.1.1", "192.168.1.102", 1, icmp)));
    assertThat(p.status()).isEqualTo(DecodeStatus.OK);
    assertThat(p.icmpType()).isEqualTo(3);
    assertThat(p.icmpCode()).isEqualTo(3);
    assertThat(p.sport()).isEqualTo(3);
    assertThat(p.dport()).isEqualTo(3);
    assertThat(p.hasQuoted()).isTrue();
    assertThat(p.quotedSrc()).hasToString("192.168.1.102");
    assertThat(p.quotedDst()).hasToString("192.168.1.1");
    assertThat(p.quotedProto()).isEqualTo(17);
    assertThat(p.quotedSport()).isEqualTo(59207);
    assertThat(p.quotedDport()).isEqualTo(53);
    assertThat(p.quotedIpId()).isEqualTo(0xabcd);
    assertThat(p.quotedLength()).isEqualTo(original.length);
    assertThat(p.hasQuotedInner()).isFalse();
  }

  @Test
  void fragNeededGivesMtuAndQuotedVxlanGivesTheInnerFlow() {
    byte[] innerTcp = ipv4("10.244.1.5", "10.244.2.7", 6, SYN);
    byte[] vx =
        ipv4("192.168.1.10", "192.168.1.11", 17, udp(51000, 8472, vxlan(1, eth(0x0800, innerTcp))));
    byte[] icmp = cat(hex("03 04 00 00 00 00 05 aa"), vx); // frag needed, MTU 1450
    DecodedPacket p = decodeEth(eth(0x0800, ipv4("192.168.1.254", "192.168.1.10", 1, icmp)));
    assertThat(p.icmpMtu()).isEqualTo(1450);
    assertThat(p.quotedDport()).isEqualTo(8472);
    assertThat(p.hasQuotedInner()).isTrue();
    assertThat(p.quotedInner().src()).hasToString("10.244.1.5");
    assertThat(p.quotedInner().dst()).hasToString("10.244.2.7");
    assertThat(p.quotedInner().proto()).isEqualTo(6);
    assertThat(p.quotedInner().sport()).isEqualTo(40000);
    assertThat(p.quotedInner().dport()).isEqualTo(80);
    assertThat(p.encapDepth()).isZero();
  }

  @Test
  void icmpv6PacketTooBigAndQuotedEcho() {
    byte[] echo = ipv6("2001:db8::1", "2001:db8::9", 58, icmpEcho(128, 77, 3, new byte[16]));
    byte[] ptb = cat(hex("02 00 00 00"), u32(1280), echo);
    DecodedPacket p = decode(LinkType.RAW, ipv6("2001:db8::fe", "2001:db8::1", 58, ptb));
    assertThat(p.status()).isEqualTo(DecodeStatus.OK);
    assertThat(p.icmpType()).isEqualTo(2);
    assertThat(p.icmpMtu()).isEqualTo(1280);
    assertThat(p.quotedProto()).isEqualTo(58);
    assertThat(p.quotedSport()).isEqualTo(77); // echo request: id as requester's port
    assertThat(p.quotedDport()).isEqualTo(0);
    DecodedPacket reply =
        decode(
            LinkType.RAW,
            ipv6("2001:db8::9", "2001:db8::1", 58, icmpEcho(129, 77, 3, new byte[0])));
    assertThat(reply.sport()).isEqualTo(0);
    assertThat(reply.dport()).isEqualTo(77);
    assertThat(reply.icmpSeq()).isEqualTo(3);
  }

  @Test
  void dnsOverUdpAndTcp() {
    // id 0xbeef, QR=1 opcode 0 rcode 2 (SERVFAIL), 1 question, 0 answers
    byte[] dns = hex("be ef 81 82 00 01 00 00 00 00 00 00");
    DecodedPacket u =
        decodeEth(eth(0x0800, ipv4("10.96.0.10", "10.244.1.5", 17, udp(53, 41000, dns))));
    assertThat(u.hasDns()).isTrue();
    assertThat(u.dnsId()).isEqualTo(0xbeef);
    assertThat(u.dnsQr()).isTrue();
    assertThat(u.dnsRcode()).isEqualTo(2);
    assertThat(u.dnsQdcount()).isEqualTo(1);
    assertThat(u.dnsAncount()).isZero();
    byte[] seg =
        tcp(
            41000,
            53,
            1,
            1,
            TcpHeader.PSH | TcpHeader.ACK,
            new byte[0],
            cat(u16(12), hex("12 34 01 00 00 01 00 00 00 00 00 00")));
    DecodedPacket t = decodeEth(eth(0x0800, ipv4("10.244.1.5", "10.96.0.10", 6, seg)));
    assertThat(t.hasDns()).isTrue();
    assertThat(t.dnsId()).isEqualTo(0x1234);
    assertThat(t.dnsQr()).isFalse();
    assertThat(t.payloadLength()).isEqualTo(14);
  }

  @Test
  void ipv4FragmentsOnlyTheFirstHasPorts() {
    byte[] first = ipv4("10.0.0.1", "10.0.0.2", 17, 64, 99, 0x2000, udp(1000, 2000, new byte[40]));
    DecodedPacket f = decode(LinkType.RAW, first);
    assertThat(f.status()).isEqualTo(DecodeStatus.OK);
    assertThat(f.mf()).isTrue();
    assertThat(f.sport()).isEqualTo(1000);
    byte[] later = ipv4("10.0.0.1", "10.0.0.2", 17, 64, 99, 6, new byte[40]); // offset 48
    DecodedPacket l = decode(LinkType.RAW, later);
    assertThat(l.status()).isEqualTo(DecodeStatus.FRAGMENT);
    assertThat(l.status().isComplete()).isTrue();
    assertThat(l.fragOffset()).isEqualTo(48);
    assertThat(l.sport()).isEqualTo(-1);
    assertThat(l.ipId()).isEqualTo(99);
  }

  @Test
  void ipv6ExtensionChainAndFragments() {
    byte[] udpSeg = udp(5000, 6000, new byte[8]);
    // hop-by-hop (8 bytes, PadN) -> destination options (8) -> fragment (offset 0, M) -> UDP
    byte[] chain =
        cat(
            hex("3c 00 01 04 00 00 00 00"),
            hex("2c 00 01 04 00 00 00 00"),
            hex("11 00 00 01 00 00 ab cd"),
            udpSeg);
    DecodedPacket p = decode(LinkType.RAW, ipv6("2001:db8::1", "2001:db8::2", 0, chain));
    assertThat(p.status()).isEqualTo(DecodeStatus.OK);
    assertThat(p.proto()).isEqualTo(17);
    assertThat(p.sport()).isEqualTo(5000);
    assertThat(p.mf()).isTrue();
    assertThat(p.ipId()).isEqualTo(0xabcd);
    byte[] later = cat(hex("11 00 00 18 00 00 ab cd"), new byte[16]); // offset 24
    DecodedPacket l = decode(LinkType.RAW, ipv6("2001:db8::1", "2001:db8::2", 44, later));
    assertThat(l.status()).isEqualTo(DecodeStatus.FRAGMENT);
    assertThat(l.fragOffset()).isEqualTo(24);
    assertThat(l.proto()).isEqualTo(17);
    assertThat(l.sport()).isEqualTo(-1);
    byte[] loop = new byte[0];
    for (int i = 0; i < 10; i++) {
      loop = cat(hex("3c 00 01 04 00 00 00 00"), loop);
    }
    assertThat(decode(LinkType.RAW, ipv6("2001:db8::1", "2001:db8::2", 60, loop)).status())
        .isEqualTo(DecodeStatus.BAD_IPV6_EXT);
  }

  @Test
  void ipv6JumboAndGsoLengths() {
    byte[] seg = tcp(1, 2, 3, 4, TcpHeader.ACK, new byte[0], new byte[100]);
    // hop-by-hop with jumbo option C2 04 <len>; payload length 0
    byte[] hbh = cat(hex("06 00 c2 04"), u32(8 + seg.length + 70000), seg);
    DecodedPacket j = decode(LinkType.RAW, cat(hex("60 00 00 00 00 00 00 40"), new byte[32], hbh));
    assertThat(j.ipLength()).isEqualTo(40 + 8 + seg.length + 70000);
    assertThat(j.payloadLength()).isEqualTo(100 + 70000);
    // IPv4 total length 0 (BIG TCP): length from the wire
    byte[] v4 = ipv4("10.0.0.1", "10.0.0.2", 6, seg);
    v4[2] = 0;
    v4[3] = 0;
    DecodedPacket p = new DecodedPacket();
    new PacketDecoder().decode(LinkType.RAW, Pkt.buf(v4), 0, v4.length, 100_000, p);
    assertThat(p.status()).isEqualTo(DecodeStatus.OK);
    assertThat(p.ipLength()).isEqualTo(100_000);
    assertThat(p.payloadLength()).isEqualTo(100_000 - 40);
  }

  @Test
  void truncationKeepsWhatWasDecoded() {
    byte[] frame = eth(0x0800, ipv4("10.0.0.1", "10.0.0.2", 6, SYN));
    DecodedPacket p = new DecodedPacket();
    PacketDecoder d = new PacketDecoder();
    assertThat(d.decode(LinkType.ETHERNET, Pkt.buf(frame), 0, 14 + 20 + 6, frame.length, p))
        .isEqualTo(DecodeStatus.TRUNCATED_TCP);
    assertThat(p.src()).hasToString("10.0.0.1");
    assertThat(p.sport()).isEqualTo(40000);
    assertThat(p.hasTcp()).isFalse();
    assertThat(d.decode(LinkType.ETHERNET, Pkt.buf(frame), 0, 14 + 10, frame.length, p))
        .isEqualTo(DecodeStatus.TRUNCATED_IPV4);
    assertThat(d.decode(LinkType.ETHERNET, Pkt.buf(frame), 0, 10, frame.length, p))
        .isEqualTo(DecodeStatus.TRUNCATED_LINK);
    assertThat(d.counters().count(DecodeStatus.TRUNCATED_TCP)).isEqualTo(1);
    assertThat(d.counters().packets()).isEqualTo(3);
  }

  @Test
  void badHeadersGiveTheirReason() {
    byte[] v4 = ipv4("10.0.0.1", "10.0.0.2", 6, SYN);
    byte[] ihl = v4.clone();
    ihl[0] = 0x44;
    assertThat(decode(LinkType.RAW, ihl).status()).isEqualTo(DecodeStatus.BAD_IHL);
    byte[] len = v4.clone();
    len[3] = 10;
    len[2] = 0;
    assertThat(decode(LinkType.RAW, len).status()).isEqualTo(DecodeStatus.BAD_IPV4_LENGTH);
    byte[] off = v4.clone();
    off[20 + 12] = 0x30; // data offset 3
    assertThat(decode(LinkType.RAW, off).status()).isEqualTo(DecodeStatus.BAD_TCP_OFFSET);
    byte[] ver = v4.clone();
    ver[0] = 0x55;
    assertThat(decode(LinkType.RAW, ver).status()).isEqualTo(DecodeStatus.BAD_IP_VERSION);
    byte[] u = ipv4("10.0.0.1", "10.0.0.2", 17, hex("00 01 00 02 00 03 00 00"));
    assertThat(decode(LinkType.RAW, u).status()).isEqualTo(DecodeStatus.BAD_UDP_LENGTH);
  }

  @Test
  void ethernetPaddingIsNotPayload() {
    byte[] ip = ipv4("10.0.0.1", "10.0.0.2", 6, tcp(1, 2, 3, 4, TcpHeader.ACK));
    byte[] frame = cat(eth(0x0800, ip), new byte[6]); // padded to 60 bytes
    DecodedPacket p = decodeEth(frame);
    assertThat(p.payloadLength()).isZero();
    assertThat(p.ipLength()).isEqualTo(40);
  }

  @Test
  void decoderIsReusedAcrossPacketsWithoutLeftovers() {
    PacketDecoder d = new PacketDecoder();
    DecodedPacket p = new DecodedPacket();
    byte[] vx =
        eth(
            0x0800,
            ipv4(
                "192.168.1.1",
                "192.168.1.2",
                17,
                udp(
                    1,
                    4789,
                    vxlan(
                        3,
                        ethTagged(tag(0x8100, 7), 0x0800, ipv4("10.0.0.1", "10.0.0.2", 6, SYN))))));
    byte[] arp = eth(0x0806, new byte[28]);
    d.decode(LinkType.ETHERNET, Pkt.buf(vx), 0, vx.length, vx.length, p);
    assertThat(p.encapDepth()).isEqualTo(1);
    assertThat(p.vlanCount()).isEqualTo(1);
    d.decode(LinkType.ETHERNET, Pkt.buf(arp), 0, arp.length, arp.length, p);
    assertThat(p.encapDepth()).isZero();
    assertThat(p.vlanCount()).isZero();
    assertThat(p.hasTcp()).isFalse();
    assertThat(p.sport()).isEqualTo(-1);
  }
}
