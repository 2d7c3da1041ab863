package io.hoptrace.decode.encap;

import static org.assertj.core.api.Assertions.assertThat;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class EncapHeadersTest {
  private static UnsafeBuffer hex(String s) {
    String h = s.replaceAll("\\s+", "");
    byte[] b = new byte[h.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
    }
    return new UnsafeBuffer(b);
  }

  @Test
  void vxlan() {
    VxlanHeader v = new VxlanHeader().wrap(hex("08 00 00 00 00 00 64 00"), 0, 8); // I, VNI 100
    assertThat(v.vniValid()).isTrue();
    assertThat(v.isStrictlyValid()).isTrue();
    assertThat(v.vni()).isEqualTo(100);
    VxlanHeader gpe = new VxlanHeader().wrap(hex("0c 00 00 03 00 00 64 00"), 0, 8); // I+P (GPE)
    assertThat(gpe.vniValid()).isTrue();
    assertThat(gpe.isStrictlyValid()).isFalse();
  }

  @Test
  void geneveWithOptions() {
    // ver 0, opt len 3 (12 bytes), C set, protocol 0x6558, VNI 0x00000a
    GeneveHeader g = new GeneveHeader().wrap(hex("03 40 65 58 00 00 0a 00"), 0, 8);
    assertThat(g.version()).isZero();
    assertThat(g.optionsLength()).isEqualTo(12);
    assertThat(g.headerLength()).isEqualTo(20);
    assertThat(g.critical()).isTrue();
    assertThat(g.protocolType()).isEqualTo(0x6558);
    assertThat(g.vni()).isEqualTo(10);
  }

  @Test
  void greVersion0And1() {
    // C+K+S, IPv4: checksum/reserved, key 0x28, seq 7
    GreHeader g =
        new GreHeader().wrap(hex("b0 00 08 00 00 00 00 00 00 00 00 28 00 00 00 07"), 0, 16);
    assertThat(g.isSupported()).isTrue();
    assertThat(g.headerLength()).isEqualTo(16);
    assertThat(g.key()).isEqualTo(0x28);
    assertThat(g.sequence()).isEqualTo(7);
    // PPTP: K+S+A, version 1, PPP, payload length 0x40, call id 6016, seq 1, ack 2
    GreHeader p =
        new GreHeader().wrap(hex("30 81 88 0b 00 40 17 80 00 00 00 01 00 00 00 02"), 0, 16);
    assertThat(p.isSupported()).isTrue();
    assertThat(p.version()).isEqualTo(1);
    assertThat(p.headerLength()).isEqualTo(16);
    assertThat(p.pptpPayloadLength()).isEqualTo(0x40);
    assertThat(p.pptpCallId()).isEqualTo(6016);
    GreHeader v2 = new GreHeader().wrap(hex("00 02 08 00"), 0, 4);
    assertThat(v2.isSupported()).isFalse();
  }

  @Test
  void erspan() {
    ErspanHeader t2 = new ErspanHeader().wrap(hex("10 00 00 14 00 00 00 01"), 0, 8); // v1 = type II
    assertThat(t2.version()).isEqualTo(1);
    assertThat(t2.sessionId()).isEqualTo(0x14);
    assertThat(t2.headerLength()).isEqualTo(8);
    ErspanHeader t3 = new ErspanHeader().wrap(hex("20 00 00 01 00 00 00 00 00 00 00 01"), 0, 12);
    assertThat(t3.headerLength()).isEqualTo(20); // O flag: platform sub-header
    assertThat(new ErspanHeader().wrap(hex("f0 00"), 0, 2).headerLength()).isEqualTo(-1);
  }
}
