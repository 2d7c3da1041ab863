package io.hoptrace.decode;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IcmpKeyPortsTest {

  /** {sport, dport} of an ICMPv4 message. */
  private static int[] v4(int type, int code, int id) {
    return new int[] {IcmpKeyPorts.sport4(type, code, id), IcmpKeyPorts.dport4(type, code, id)};
  }

  private static int[] v6(int type, int code, int id) {
    return new int[] {IcmpKeyPorts.sport6(type, code, id), IcmpKeyPorts.dport6(type, code, id)};
  }

  @Test
  void anEchoRequestAndItsReplyShareTheKeyByTheirIdentifier() {
    assertThat(v4(8, 0, 4242)).containsExactly(4242, 0);
    assertThat(v4(0, 0, 4242)).containsExactly(0, 4242);
    // timestamp request / reply are queries too
    assertThat(v4(13, 0, 7)).containsExactly(7, 0);
    assertThat(v4(14, 0, 7)).containsExactly(0, 7);
  }

  @Test
  void otherMessagesAreKeyedByTypeAndCode() {
    assertThat(v4(3, 3, 999)).containsExactly(3, 3);
    assertThat(v4(11, 0, 999)).containsExactly(11, 0);
  }

  @Test
  void icmpv6EchoByIdentifierOtherMessagesByTypeAndCode() {
    assertThat(v6(128, 0, 55)).containsExactly(55, 0);
    assertThat(v6(129, 0, 55)).containsExactly(0, 55);
    assertThat(v6(135, 0, 55)).containsExactly(135, 0);
    assertThat(v6(1, 4, 55)).containsExactly(1, 4);
  }
}
