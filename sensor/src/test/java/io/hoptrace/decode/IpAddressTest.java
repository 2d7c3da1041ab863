package io.hoptrace.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IpAddressTest {
  @Test
  void textFormsFollowRfc5952() {
    assertThat(IpAddress.parse("2001:0db8:0000:0000:0001:0000:0000:0001"))
        .hasToString("2001:db8::1:0:0:1");
    assertThat(IpAddress.parse("2001:db8:0:1:1:1:1:1")).hasToString("2001:db8:0:1:1:1:1:1");
    assertThat(IpAddress.parse("::")).hasToString("::");
    assertThat(IpAddress.parse("::1")).hasToString("::1");
    assertThat(IpAddress.parse("fe80::")).hasToString("fe80::");
    assertThat(IpAddress.parse("2001:0:0:1:0:0:0:1")).hasToString("2001:0:0:1::1");
    assertThat(IpAddress.parse("FE80::AB")).hasToString("fe80::ab");
    assertThat(IpAddress.parse("192.0.2.255")).hasToString("192.0.2.255");
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    mapped[12] = 10;
    mapped[15] = 1;
    assertThat(new IpAddress().set(mapped)).hasToString("::ffff:10.0.0.1");
  }

  @Test
  void orderingAndEquality() {
    assertThat(IpAddress.parse("9.0.0.1").compareTo(IpAddress.parse("10.0.0.1"))).isNegative();
    assertThat(IpAddress.parse("255.0.0.1").compareTo(IpAddress.parse("::1"))).isNegative();
    assertThat(IpAddress.parse("10.0.0.1")).isEqualTo(IpAddress.parse("10.0.0.1"));
    assertThat(IpAddress.parse("10.0.0.1").hash()).isEqualTo(IpAddress.parse("10.0.0.1").hash());
    assertThat(new IpAddress().isSet()).isFalse();
    assertThat(IpAddress.parse("10.0.0.1").v4AsLong()).isEqualTo(0x0A000001L);
  }

  @Test
  void parseRefusesHostNames() {
    assertThatThrownBy(() -> IpAddress.parse("example.com"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
