package io.hoptrace.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NatLinkScannerTest {
  static final long MS = 1_000_000L;
  static final String CLIENT_VIP = "tcp 10.244.0.2:40000 10.96.0.10:80";
  static final String CLIENT_POD = "tcp 10.244.0.2:40000 10.244.1.3:8080";
  static final String OUTSIDE = "tcp 192.168.1.9:5555 192.168.232.128:30080";
  static final String MASQ = "tcp 10.244.0.0:61000 10.244.1.3:8080";

  @Test
  void samePacketUnderTwoKeysOnOneNodeLinksThem() {
    NatLinkScanner s = new NatLinkScanner(500 * MS);
    s.add("node-a", 42, CLIENT_VIP, 1_000 * MS);
    s.add("node-a", 42, CLIENT_POD, 1_000 * MS + 30_000);
    NatLinks links = s.build();
    assertThat(links.route(CLIENT_VIP)).isEqualTo(links.route(CLIENT_POD));
    assertThat(links.linkedKeys()).isEqualTo(1);
    assertThat(links.natConversations()).isEqualTo(1);
    assertThat(links.route("udp 1.1.1.1:1 2.2.2.2:2")).isEqualTo("udp 1.1.1.1:1 2.2.2.2:2");
  }

  @Test
  void linksAreTransitiveAndTheRepresentativeIndependentOfOrder() {
    NatLinkScanner ab = new NatLinkScanner(500 * MS);
    ab.add("node-a", 7, OUTSIDE, 0);
    ab.add("node-a", 7, MASQ, 10);
    ab.add("node-b", 9, MASQ, 20);
    ab.add("node-b", 9, CLIENT_POD, 30);
    NatLinkScanner ba = new NatLinkScanner(500 * MS);
    ba.add("node-b", 9, CLIENT_POD, 30);
    ba.add("node-b", 9, MASQ, 31);
    ba.add("node-a", 7, MASQ, 40);
    ba.add("node-a", 7, OUTSIDE, 41);
    for (NatLinks l : new NatLinks[] {ab.build(), ba.build()}) {
      assertThat(l.route(OUTSIDE)).isEqualTo(l.route(MASQ)).isEqualTo(l.route(CLIENT_POD));
      assertThat(l.route(OUTSIDE)).isEqualTo(MASQ); // the smallest key of the three
    }
  }

  @Test
  void differentNodesOrFarApartOrNoFingerprintDoNotLink() {
    NatLinkScanner s = new NatLinkScanner(500 * MS);
    s.add("node-a", 42, CLIENT_VIP, 0);
    s.add("node-b", 42, CLIENT_POD, 1); // another node: not this node's NAT
    s.add("node-a", 43, CLIENT_VIP, 0);
    s.add("node-a", 43, MASQ, 2_000 * MS); // same fingerprint much later: a collision
    s.add("node-a", 0, CLIENT_VIP, 5);
    s.add("node-a", 0, OUTSIDE, 5); // no fingerprint
    s.add("node-a", 44, null, 5); // not IP
    NatLinks l = s.build();
    assertThat(l.linkedKeys()).isZero();
    assertThat(l.route(CLIENT_POD)).isEqualTo(CLIENT_POD);
  }

  @Test
  void oldSightingsAreForgottenAsTimeAdvances() {
    NatLinkScanner s = new NatLinkScanner(1);
    for (int i = 0; i < 200_000; i++) {
      s.add("node-a", i + 1, "udp 10.0.0.1:" + (i % 60000) + " 10.0.0.2:53", i * 10L);
    }
    assertThat(s.toString()).contains("keys=0");
    assertThat(s.build().linkedKeys()).isZero();
  }

  @Test
  void windowMustBePositive() {
    assertThatThrownBy(() -> new NatLinkScanner(0)).hasMessageContaining("windowNanos");
  }
}
