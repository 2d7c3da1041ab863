package io.hoptrace.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.schema.CaptureDirection;
import io.hoptrace.schema.EncapType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Real captures from tcpdump/Zeek/Arkime test suites, checked against those suites' outputs. */
class CaptureConformanceTest {
  private static final Path CAPTURES = Path.of("src/test/resources/decode/captures");

  private final PacketDecoder decoder = new PacketDecoder();
  private final CommunityId communityId = new CommunityId();

  private List<String> decodeAll(String file, java.util.function.Function<DecodedPacket, String> f)
      throws IOException {
    List<String> out = new ArrayList<>();
    DecodedPacket p = new DecodedPacket();
    for (MiniPcap.Packet pk : MiniPcap.read(CAPTURES.resolve(file))) {
      decoder.decode(
          pk.linkType(), pk.buffer(), pk.offset(), pk.capturedLength(), pk.wireLength(), p);
      out.add(f.apply(p));
    }
    return out;
  }

  private static String encap(DecodedPacket p) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < p.encapDepth(); i++) {
      EncapInfo e = p.encap(i);
      sb.append(e.type()).append(' ').append(e.outerSrc()).append('>').append(e.outerDst());
      sb.append(" vni=").append(e.vni()).append(" | ");
    }
    return sb.append(p.src()).append('>').append(p.dst()).toString();
  }

  @Test
  void vxlanOnPort8472ShowsInnerIcmpWithVniAndOuterAddresses() throws IOException {
    // tcpdump vxlan_port_8472.out: 192.168.203.1 > 192.168.202.1 VXLAN vni 100,
    // inner 192.168.203.3 > 192.168.203.5: ICMP echo request; packets 2-3 are ARP inside
    List<String> lines =
        decodeAll(
            "tcpdump/vxlan_port_8472.pcap",
            p -> p.status() + " " + encap(p) + " icmp=" + p.icmpType());
    assertThat(lines.get(0))
        .isEqualTo(
            "OK VXLAN 192.168.203.1>192.168.202.1 vni=100 | 192.168.203.3>192.168.203.5 icmp=8");
    assertThat(lines.get(1)).startsWith("UNSUPPORTED_ETHERTYPE VXLAN 192.168.202.1>192.168.203.1");
    assertThat(lines.get(3))
        .isEqualTo(
            "OK VXLAN 192.168.202.1>192.168.203.1 vni=100 | 192.168.203.5>192.168.203.3 icmp=0");
    assertThat(decodeAll("tcpdump/vxlan.pcap", p -> encap(p) + " icmp=" + p.icmpType()))
        .isEqualTo(
            decodeAll("tcpdump/vxlan_port_8472.pcap", p -> encap(p) + " icmp=" + p.icmpType()));
  }

  @Test
  void espToPort8472IsNotVxlan() throws IOException {
    assertThat(
            decodeAll(
                "tcpdump/esp_truncated.pcap", p -> p.status() + " " + encap(p) + ":" + p.dport()))
        .containsExactly("OK 0.254.92.182>255.127.255.121:8472");
  }

  @Test
  void geneveQinqAndSll2() throws IOException {
    assertThat(decodeAll("tcpdump/geneve.pcap", CaptureConformanceTest::encap).get(0))
        .isEqualTo("GENEVE 20.0.0.1>20.0.0.2 vni=10 | 30.0.0.1>30.0.0.2");
    assertThat(decodeAll("zeek/geneve-many-options.pcap", p -> p.status().name()))
        .allMatch(s -> s.equals("OK"));
    // 802.1ad_QinQ.out: vlan 200, vlan 2001, ARP
    assertThat(
            decodeAll(
                "tcpdump/802.1ad_QinQ.pcap", p -> p.status() + " " + p.vlan(0) + "," + p.vlan(1)))
        .containsOnly("UNSUPPORTED_ETHERTYPE 200,2001");
    List<String> sll2 =
        decodeAll(
            "zeek/linux_dlt_sll2.pcap",
            p -> p.status() + " if=" + p.ifIndex() + " " + p.captureDirection() + " " + p.src());
    assertThat(sll2.get(0)).isEqualTo("OK if=1 " + CaptureDirection.INBOUND + " 192.0.2.1");
    assertThat(sll2.get(2)).isEqualTo("OK if=1 INBOUND fe80::8c36:6ff:fe44:acaf");
  }

  @Test
  void ipInIpTracesFromZeek() throws IOException {
    assertThat(decodeAll("zeek/4in4.pcap", CaptureConformanceTest::encap))
        .containsExactly("IPIP 1.2.3.4>5.6.7.8 vni=-1 | 10.0.0.1>10.0.0.2");
    assertThat(decodeAll("zeek/6in4.pcap", CaptureConformanceTest::encap))
        .containsExactly("IPIP 1.2.3.4>5.6.7.8 vni=-1 | dead::beef>cafe::babe");
    assertThat(
            decodeAll("zeek/4in6.pcap", p -> p.encap(0).type() + " " + p.src() + ":" + p.sport()))
        .containsExactly("IPIP 70.55.213.211:31337");
    assertThat(decodeAll("zeek/6in6.pcap", p -> p.dst() + ":" + p.dport()))
        .containsExactly("cafe::babe:13000");
    assertThat(decodeAll("zeek/6in6in6.pcap", p -> p.encapDepth() + " " + p.src()))
        .containsExactly("2 dead::beef");
  }

  @Test
  void greSampleIcmpPortUnreachableQuotesTheDnsFlowInsideTheTunnel() throws IOException {
    // Zeek core.tunnels.gre: DNS 66.59.111.190:37675 -> 172.28.2.3:53 answered by ICMP 3/3
    List<String> errors = new ArrayList<>();
    DecodedPacket p = new DecodedPacket();
    for (MiniPcap.Packet pk : MiniPcap.read(CAPTURES.resolve("zeek/gre-sample.pcap"))) {
      decoder.decode(
          pk.linkType(), pk.buffer(), pk.offset(), pk.capturedLength(), pk.wireLength(), p);
      if (p.hasIcmp() && p.icmpType() == 3) {
        errors.add(
            p.encap(0).type()
                + " "
                + p.src()
                + " 3/"
                + p.icmpCode()
                + " quoted "
                + p.quotedSrc()
                + ":"
                + p.quotedSport()
                + ">"
                + p.quotedDst()
                + ":"
                + p.quotedDport()
                + " key="
                + SummaryMapper.partitionKey(p));
      }
    }
    assertThat(errors)
        .contains(
            "GRE 172.28.2.3 3/3 quoted 66.59.111.190:37675>172.28.2.3:53"
                + " key=17|66.59.111.190|37675|172.28.2.3|53");
  }

  @Test
  void icmpContextMatchesZeek() throws IOException {
    // Zeek core.icmp.icmp-context: icmp_unreachable (code=3) quoting
    // [orig_h=192.168.1.1, orig_p=53/udp, resp_h=192.168.1.102, resp_p=59207/udp], len=163
    List<String> q =
        decodeAll(
            "zeek/icmp-destunreach-udp.pcap",
            p ->
                p.icmpType()
                    + "/"
                    + p.icmpCode()
                    + " "
                    + p.quotedSrc()
                    + ":"
                    + p.quotedSport()
                    + ">"
                    + p.quotedDst()
                    + ":"
                    + p.quotedDport()
                    + " len="
                    + p.quotedLength());
    assertThat(q).contains("3/3 192.168.1.1:53>192.168.1.102:59207 len=163");
    assertThat(decodeAll("zeek/icmp6-toobig.pcap", p -> p.icmpType() + " mtu=" + p.icmpMtu()))
        .containsExactly("2 mtu=1280");
  }

  @Test
  void pptpGreWithPppInsideIpv6ThenDns() throws IOException {
    // Arkime 6-4-gre-ppp-udp-4-dns.test: 172.16.44.3:40768 -> 8.8.8.8:53, vlan [100]
    List<String> s =
        decodeAll(
            "arkime/6-4-gre-ppp-udp-4-dns.pcap",
            p ->
                p.encap(0).type()
                    + ","
                    + p.encap(1).type()
                    + " vlan="
                    + p.vlan(0)
                    + " "
                    + p.src()
                    + ":"
                    + p.sport()
                    + ">"
                    + p.dst()
                    + ":"
                    + p.dport()
                    + " dns="
                    + p.hasDns()
                    + " rcode="
                    + p.dnsRcode());
    assertThat(s)
        .containsExactly(
            "IPIP,GRE vlan=100 172.16.44.3:40768>8.8.8.8:53 dns=true rcode=0",
            "IPIP,GRE vlan=100 8.8.8.8:53>172.16.44.3:40768 dns=true rcode=3");
  }

  @Test
  void communityIdsMatchArkime() throws IOException {
    String[][] cases = {
      {"arkime/6-4-gre-ppp-udp-4-dns.pcap", "1:fZG4C8AY/jKS+Bf2SgfW9xMzRTg="},
      {"arkime/dot1ad.pcap", "1:yz8cAvyz8bjFgU4IVBUues5SuoQ="},
      {"arkime/gre-erspan-vxlan.pcap", "1:vJGJyvSGPn66/zbr0DiR1fCFooo="},
      {"arkime/http-syn-ack.pcap", "1:+Q7ZZLs5Blo4/kXY55Yf6dTtt2Y="},
      {"arkime/twovlan.pcap", "1:SPYgVgvcW0g9bsfBLLnTtlWJezA="},
      {"arkime/wireshark-retrans.pcap", "1:edLn61HrOoPJoKGLwmvOMdlNXWI="},
      {"tcpdump/geneve.pcap", "1:Qf0XIBqYLK7+YLkU2uMhUfyQOJ8="},
      {"zeek/vxlan.pcap", "1:YcMyyWJfhc95EW1GfXt6jlZ3DiQ="},
    };
    for (String[] c : cases) {
      assertThat(decodeAll(c[0], communityId::of)).as(c[0]).contains(c[1]);
    }
    assertThat(decodeAll("arkime/no-syn-ack.pcap", communityId::of))
        .containsOnly("1:HTQvCtcrl3Pf9bPrKCnqmVKZJ2E=", "1:XGELvpUclAKZTD2Zk30Ok0E1KZI=");
    assertThat(decodeAll("tcpdump/geneve.pcap", p -> p.encap(0).type().name()))
        .containsOnly(EncapType.GENEVE.name());
  }

  @Test
  void communityIdsMatchZeekOnItsIcmpTraces() throws IOException {
    // Zeek Baseline/bifs.community_id.run-pcaps/icmp.pcap.out and icmp6.pcap.out
    assertThat(decodeAll("zeek/communityid-icmp.pcap", communityId::of))
        .contains("1:X0snYXpgwiv9TZtqg64sgzUn6Dk=");
    assertThat(decodeAll("zeek/communityid-icmp6.pcap", communityId::of))
        .contains(
            "1:bnQKq8A2r//dWnkRW2EYcMhShjc=",
            "1:hLZd0XGWojozrvxqE0dWB1iM6R0=",
            "1:+TW+HtLHvV1xnGhV1lv7XoJrqQg=",
            "1:ORxAZfN3ld7Sv73/HQTNnvgxbpY=",
            "1:hO+sN4H+MG5MY/8hIrXPqc4ZQz0=",
            "1:pkvHqCL88/tg1k4cPigmZXUtL00=");
  }

  @Test
  void gsoAndBigTcpSuperPacketsDecode() throws IOException {
    assertThat(
            decodeAll(
                "tcpdump/bigtcp-ipv4-vxlan-ipv4.pcap",
                p -> p.status() + " " + p.encapDepth() + " " + p.hasTcp()))
        .allMatch(s -> s.equals("OK 1 true"));
    assertThat(
            decodeAll(
                "tcpdump/bigtcp-ipv6-hbh.pcap", p -> p.status() + " " + (p.ipLength() > 65535)))
        .contains("OK true");
    assertThat(
            decodeAll(
                "tcpdump/gso-ipv6-geneve-ipv4.pcap", p -> p.status() + " " + p.encap(0).type()))
        .allMatch(s -> s.equals("OK GENEVE"));
  }
}
