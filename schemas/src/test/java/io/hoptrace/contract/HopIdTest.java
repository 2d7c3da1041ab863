package io.hoptrace.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HopIdTest {
  @Test
  void roundTripWithoutPod() {
    HopId h = HopId.of("node-a", "flannel.1");
    assertThat(h.toString()).isEqualTo("node-a/flannel.1");
    assertThat(HopId.parse("node-a/flannel.1")).isEqualTo(h);
    assertThat(HopId.parse(h.toString()).pod()).isNull();
  }

  @Test
  void roundTripWithPod() {
    HopId h = new HopId("node-b", "pod-b1", "eth0");
    assertThat(h.toString()).isEqualTo("node-b/pod-b1/eth0");
    assertThat(HopId.parse(h.toString())).isEqualTo(h);
    assertThat(HopId.format("node-b", "pod-b1", "eth0")).isEqualTo(h.toString());
    assertThat(HopId.format("node-b", null, "cni0")).isEqualTo("node-b/cni0");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ip-10-0-1-7.eu-west-1.compute.internal",
        "eth0.100",
        "eth0:1",
        "veth@if3",
        "cali1234abcd-ef",
        "tunl0",
        "knoten-ä",
        "name with space",
        "x"
      })
  void oddButAllowedNamesRoundTrip(String name) {
    HopId h = new HopId(name, name, name);
    assertThat(HopId.parse(h.toString())).isEqualTo(h);
    HopId n = HopId.of(name, name);
    assertThat(HopId.parse(n.toString())).isEqualTo(n);
    assertThat(HopId.nodeOf(h.toString())).isEqualTo(name);
    assertThat(HopId.ifaceOf(h.toString())).isEqualTo(name);
  }

  @Test
  void slashesAndEmptyNamesAreRejected() {
    assertThatThrownBy(() -> new HopId("node/a", null, "eth0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'/'");
    assertThatThrownBy(() -> new HopId("node-a", "ns/pod", "eth0"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HopId("node-a", null, ""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HopId("node-a", "", "eth0"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HopId(null, null, "eth0"))
        .isInstanceOf(IllegalArgumentException.class);
    for (String bad : new String[] {"node-a", "a/b/c/d", "/eth0", "node-a/", "a//b", ""}) {
      assertThatThrownBy(() -> HopId.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void lenientPartsOfReceivedIds() {
    assertThat(HopId.nodeOf("node-a/pod-a1/eth0")).isEqualTo("node-a");
    assertThat(HopId.ifaceOf("node-a/pod-a1/eth0")).isEqualTo("eth0");
    assertThat(HopId.nodeOf("node-a")).isEqualTo("node-a");
    assertThat(HopId.ifaceOf("node-a")).isEqualTo("node-a");
    assertThat(HopId.nodeOf(null)).isNull();
  }
}
