package io.hoptrace.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.schema.InterfaceRole;
import java.util.List;
import org.junit.jupiter.api.Test;

class InterfaceRolesTest {

  private final InterfaceRoles roles = InterfaceRoles.defaults();

  @Test
  void namesOfKubernetesInterfacesGiveTheirRole() {
    assertThat(roles.roleOf("veth1a2b3c")).isEqualTo(InterfaceRole.VETH);
    assertThat(roles.roleOf("cali12345")).isEqualTo(InterfaceRole.VETH);
    assertThat(roles.roleOf("lxc9f")).isEqualTo(InterfaceRole.VETH);
    assertThat(roles.roleOf("cni0")).isEqualTo(InterfaceRole.BRIDGE);
    assertThat(roles.roleOf("cbr0")).isEqualTo(InterfaceRole.BRIDGE);
    assertThat(roles.roleOf("docker0")).isEqualTo(InterfaceRole.BRIDGE);
    assertThat(roles.roleOf("flannel.1")).isEqualTo(InterfaceRole.VTEP);
    assertThat(roles.roleOf("vxlan.calico")).isEqualTo(InterfaceRole.VTEP);
    assertThat(roles.roleOf("vxlan0")).isEqualTo(InterfaceRole.VTEP);
    assertThat(roles.roleOf("tunl0")).isEqualTo(InterfaceRole.TUNNEL);
    assertThat(roles.roleOf("lo")).isEqualTo(InterfaceRole.ANY);
    assertThat(roles.roleOf("ens33")).isEqualTo(InterfaceRole.UPLINK);
    assertThat(roles.roleOf("eth0")).isEqualTo(InterfaceRole.UPLINK);
  }

  @Test
  void interfacesInAPodNamespaceArePodInterfaces() {
    assertThat(roles.roleOf("eth0", "veth", true)).isEqualTo(InterfaceRole.POD);
    assertThat(roles.roleOf("lo", null, true)).isEqualTo(InterfaceRole.ANY);
  }

  @Test
  void kindDecidesWhenTheNameSaysNothing() {
    assertThat(roles.roleOf("br-lab", "bridge", false)).isEqualTo(InterfaceRole.BRIDGE);
    assertThat(roles.roleOf("overlay7", "vxlan", false)).isEqualTo(InterfaceRole.VTEP);
    assertThat(roles.roleOf("gnv0", "geneve", false)).isEqualTo(InterfaceRole.VTEP);
    assertThat(roles.roleOf("ipip9", "ipip", false)).isEqualTo(InterfaceRole.TUNNEL);
    // a kind (Kubernetes in Docker) node's uplink eth0 is a veth: the kind alone says nothing
    assertThat(roles.roleOf("eth0", "veth", false)).isEqualTo(InterfaceRole.UPLINK);
    assertThat(roles.roleOf("bond0", "bond", false)).isEqualTo(InterfaceRole.UPLINK);
  }

  @Test
  void explicitMappingsWinOverEveryRule() {
    InterfaceRoles r = InterfaceRoles.parse(List.of("eth0=pod", "cni0=UPLINK", " lo = vtep "));
    assertThat(r.roleOf("eth0")).isEqualTo(InterfaceRole.POD);
    assertThat(r.roleOf("cni0")).isEqualTo(InterfaceRole.UPLINK);
    assertThat(r.roleOf("lo")).isEqualTo(InterfaceRole.VTEP);
    assertThat(r.roleOf("flannel.1")).isEqualTo(InterfaceRole.VTEP);
    assertThat(r.overrides()).hasSize(3);
  }

  @Test
  void badMappingsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> InterfaceRoles.parse(List.of("eth0")))
        .hasMessageContaining("name=ROLE");
    assertThatThrownBy(() -> InterfaceRoles.parse(List.of("eth0=router")))
        .hasMessageContaining("unknown interface role 'router'")
        .hasMessageContaining("UPLINK");
  }
}
