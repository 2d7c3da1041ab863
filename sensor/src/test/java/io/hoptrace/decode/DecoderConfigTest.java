package io.hoptrace.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class DecoderConfigTest {
  @Test
  void defaultsAreFlannelAndIanaVxlanGeneve6081FourLayers() {
    DecoderConfig c = DecoderConfig.defaults();
    assertThat(c.vxlanPorts()).containsExactlyInAnyOrder(4789, 8472);
    assertThat(c.genevePort()).isEqualTo(6081);
    assertThat(c.maxEncapDepth()).isEqualTo(4);
    assertThat(c.payloadHashBytes()).isEqualTo(16);
  }

  @Test
  void invalidSettingsAreRefusedWithTheirName() {
    assertThatThrownBy(() -> DecoderConfig.defaults().withVxlanPorts(Set.of(0)))
        .hasMessageContaining("vxlanPorts");
    assertThatThrownBy(() -> DecoderConfig.defaults().withGenevePort(70000))
        .hasMessageContaining("genevePort");
    assertThatThrownBy(() -> DecoderConfig.defaults().withGenevePort(8472))
        .hasMessageContaining("also a VXLAN port");
    assertThatThrownBy(() -> DecoderConfig.defaults().withMaxEncapDepth(0))
        .hasMessageContaining("maxEncapDepth");
    assertThatThrownBy(() -> DecoderConfig.defaults().withPayloadHashBytes(65))
        .hasMessageContaining("payloadHashBytes");
  }
}
