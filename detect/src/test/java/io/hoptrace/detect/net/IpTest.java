package io.hoptrace.detect.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IpTest {
  private static int byteWise(byte[] x, byte[] y) {
    for (int i = 0; i < 4; i++) {
      int c = Integer.compare(x[i] & 0xFF, y[i] & 0xFF);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  @Test
  void dottedQuadsCompareAsUnsignedBytes() {
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < 20_000; i++) {
      byte[] x = new byte[4];
      byte[] y = new byte[4];
      for (int j = 0; j < 4; j++) {
        x[j] = (byte) r.nextInt(256);
        // often equal prefixes, so every byte position decides sometimes
        y[j] = r.nextInt(3) == 0 ? (byte) r.nextInt(256) : x[j];
      }
      int expected = Integer.signum(byteWise(x, y));
      assertThat(Integer.signum(Ip.compare(Ip.format(x), Ip.format(y))))
          .as("%s vs %s", Ip.format(x), Ip.format(y))
          .isEqualTo(expected);
    }
    assertThat(Ip.compare("10.244.0.2", "10.244.0.10")).isNegative(); // not text order
    assertThat(Ip.compare("255.255.255.255", "0.0.0.0")).isPositive(); // unsigned
    assertThat(Ip.compare("10.0.0.1", "10.0.0.1")).isZero();
  }

  @Test
  void ipv4SortsBeforeIpv6AndMalformedTextComparesAsText() {
    assertThat(Ip.compare("192.168.1.1", "::1")).isNegative();
    assertThat(Ip.compare("fe80::1", "10.0.0.1")).isPositive();
    assertThat(Ip.compare("2001:db8::1", "2001:db8::2")).isNegative();
    assertThat(Ip.compare("10.0.0.256", "10.0.0.1")).isEqualTo("10.0.0.256".compareTo("10.0.0.1"));
    assertThat(Ip.compare("10.0.0", "10.0.0.1")).isEqualTo("10.0.0".compareTo("10.0.0.1"));
    assertThat(Ip.v4("1.2.3.4")).isEqualTo(0x01020304L);
    assertThat(Ip.v4("1.2.3.4.5")).isEqualTo(-1);
    assertThat(Ip.v4("1..3.4")).isEqualTo(-1);
    assertThat(Ip.v4("")).isEqualTo(-1);
  }
}
