package io.hoptrace.decode;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Known Community ID v1 values. Expected strings copied from Zeek's test baselines
 * (github.com/zeek/zeek, testing/btest/Baseline/bifs.community_id.run-pcaps/*.out, commit a13de64f,
 * BSD-3-Clause). Zeek prints ICMP connections with orig_p = type and resp_p = code or the
 * counterpart type.
 */
class CommunityIdTest {
  private final CommunityId cid = new CommunityId();

  private String of(String src, int sport, String dst, int dport, int proto) {
    return cid.of(proto, IpAddress.parse(src), sport, IpAddress.parse(dst), dport);
  }

  private String icmp(String src, String dst, int proto, int type, int code) {
    return cid.ofIcmp(proto, IpAddress.parse(src), IpAddress.parse(dst), type, code);
  }

  @Test
  void tcpUdpVectorsFromZeek() {
    assertThat(of("128.232.110.120", 34855, "66.35.250.204", 80, 6))
        .isEqualTo("1:LQU9qZlK+B5F3KDmev6m5PMibrg=");
    assertThat(of("66.35.250.204", 80, "128.232.110.120", 34855, 6))
        .isEqualTo("1:LQU9qZlK+B5F3KDmev6m5PMibrg=");
    assertThat(of("192.168.1.52", 54585, "8.8.8.8", 53, 17))
        .isEqualTo("1:d/FP5EW3wiY1vCndhwleRRKHowQ=");
    assertThat(of("2001:470:e5bf:dead:4957:2174:e82c:4887", 63943, "2607:f8b0:400c:c03::1a", 25, 6))
        .isEqualTo("1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=");
  }

  @Test
  void icmpVectorsFromZeek() {
    assertThat(icmp("192.168.0.89", "192.168.0.1", 1, 8, 0))
        .isEqualTo("1:X0snYXpgwiv9TZtqg64sgzUn6Dk=");
    assertThat(icmp("192.168.0.1", "192.168.0.89", 1, 0, 0))
        .isEqualTo("1:X0snYXpgwiv9TZtqg64sgzUn6Dk=");
    String a = "3ffe:507:0:1:200:86ff:fe05:80da";
    assertThat(icmp("3ffe:501:0:1802:260:97ff:feb6:7ff0", a, 58, 3, 0))
        .isEqualTo("1:bnQKq8A2r//dWnkRW2EYcMhShjc=");
    assertThat(icmp("3ffe:501:410:0:2c0:dfff:fe47:33e", a, 58, 1, 4))
        .isEqualTo("1:hLZd0XGWojozrvxqE0dWB1iM6R0=");
    assertThat(icmp(a, "3ffe:501:4819::42", 58, 1, 4)).isEqualTo("1:jwuBy9UWZK1KUFqJV5cHdVpfrlY=");
    assertThat(icmp(a, "3ffe:501:0:1001::2", 58, 128, 0))
        .isEqualTo("1:+TW+HtLHvV1xnGhV1lv7XoJrqQg=");
    assertThat(icmp("3ffe:501:0:1001::2", a, 58, 129, 0))
        .isEqualTo("1:+TW+HtLHvV1xnGhV1lv7XoJrqQg=");
    assertThat(icmp(a, "ff02::1:ff07:69ea", 58, 135, 0))
        .isEqualTo("1:MEixa66kuz0OMvlQqnAIzP3n2xg=");
    assertThat(icmp("fe80::200:86ff:fe05:80da", "ff02::2", 58, 133, 0))
        .isEqualTo("1:hO+sN4H+MG5MY/8hIrXPqc4ZQz0=");
    assertThat(icmp("fe80::260:97ff:fe07:69ea", "ff02::1", 58, 134, 0))
        .isEqualTo("1:pkvHqCL88/tg1k4cPigmZXUtL00=");
  }

  @Test
  void portlessProtocolsAndSeed() {
    String gre = of("10.0.0.1", -1, "10.0.0.2", -1, 47);
    assertThat(gre).startsWith("1:").isEqualTo(of("10.0.0.2", -1, "10.0.0.1", -1, 47));
    assertThat(
            new CommunityId(1)
                .of(6, IpAddress.parse("10.0.0.1"), 1, IpAddress.parse("10.0.0.2"), 2))
        .isNotEqualTo(of("10.0.0.1", 1, "10.0.0.2", 2, 6));
  }
}
