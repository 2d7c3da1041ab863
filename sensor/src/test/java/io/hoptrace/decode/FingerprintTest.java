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

import io.hoptrace.capture.LinkType;
import org.junit.jupiter.api.Test;

class FingerprintTest {
  private static final byte[] DATA = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes();

  private static byte[] segment(int sport, int dport, long seq, byte[] data) {
    return tcp(sport, dport, seq, 5000, TcpHeader.PSH | TcpHeader.ACK, new byte[0], data);
  }

  @Test
  void sameSegmentOnVethInVxlanAndAfterDnatHasOneFingerprint() {
    // pod veth: 10.244.1.5:40000 -> Service 10.96.0.20:80, TTL 64
    DecodedPacket veth =
        decodeEth(
            eth(
                0x0800,
                ipv4(
                    "10.244.1.5",
                    "10.96.0.20",
                    6,
                    64,
                    0x7777,
                    0x4000,
                    segment(40000, 80, 1000, DATA))));
    // after DNAT to the pod 10.244.2.7:8080, TTL 63, inside VXLAN on the uplink
    byte[] inner =
        eth(
            0x0800,
            ipv4(
                "10.244.1.5",
                "10.244.2.7",
                6,
                63,
                0x7777,
                0x4000,
                segment(40000, 8080, 1000, DATA)));
    DecodedPacket uplink =
        decodeEth(
            eth(
                0x0800,
                ipv4("192.168.1.10", "192.168.1.11", 17, udp(51000, 8472, vxlan(1, inner)))));
    // after SNAT too: other source address and port, TTL 62
    DecodedPacket snat =
        decodeEth(
            eth(
                0x0800,
                ipv4(
                    "192.168.1.10",
                    "10.244.2.7",
                    6,
                    62,
                    0x7777,
                    0x4000,
                    segment(61000, 8080, 1000, DATA))));
    assertThat(veth.fingerprint()).isNotZero();
    assertThat(uplink.fingerprint()).isEqualTo(veth.fingerprint());
    assertThat(snat.fingerprint()).isEqualTo(veth.fingerprint());
  }

  @Test
  void differentSegmentsHaveDifferentFingerprints() {
    long a = fp(ipv4("10.0.0.1", "10.0.0.2", 6, 64, 1, 0, segment(1, 2, 1000, DATA)));
    long nextSeq =
        fp(ipv4("10.0.0.1", "10.0.0.2", 6, 64, 1, 0, segment(1, 2, 1000 + DATA.length, DATA)));
    long otherId = fp(ipv4("10.0.0.1", "10.0.0.2", 6, 64, 2, 0, segment(1, 2, 1000, DATA)));
    byte[] changed = DATA.clone();
    changed[5] = 'X';
    long otherPayload = fp(ipv4("10.0.0.1", "10.0.0.2", 6, 64, 1, 0, segment(1, 2, 1000, changed)));
    assertThat(new long[] {nextSeq, otherId, otherPayload}).doesNotContain(a);
    // the same bytes decoded again give the same value (deterministic, no per-run seed)
    assertThat(fp(ipv4("10.0.0.1", "10.0.0.2", 6, 64, 1, 0, segment(1, 2, 1000, DATA))))
        .isEqualTo(a);
  }

  @Test
  void onlyCapturedPayloadBytesAreHashedAndNothingIsReadBeyond() {
    byte[] pkt = ipv4("10.0.0.1", "10.0.0.2", 17, 64, 9, 0, udp(1, 2, hex("01 02 03")));
    byte[] padded = cat(pkt, hex("ff ff ff ff ff ff ff ff"));
    DecodedPacket a = Pkt.decode(LinkType.RAW, pkt);
    DecodedPacket b = Pkt.decode(LinkType.RAW, padded);
    assertThat(b.fingerprint()).isEqualTo(a.fingerprint());
  }

  private static long fp(byte[] ip) {
    return Pkt.decode(LinkType.RAW, ip).fingerprint();
  }
}
