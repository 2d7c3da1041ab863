package io.hoptrace.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.schema.InterfaceRole;
import org.junit.jupiter.api.Test;

class LiveCaptureConfigTest {

  private static final int MIB = 1 << 20;

  @Test
  void ringSizeFollowsTheHopsRole() {
    LiveCaptureConfig c = LiveCaptureConfig.defaults();
    assertThat(c.bufferBytesFor(InterfaceRole.UPLINK)).isEqualTo(64 * MIB);
    assertThat(c.bufferBytesFor(InterfaceRole.VTEP)).isEqualTo(64 * MIB);
    assertThat(c.bufferBytesFor(InterfaceRole.TUNNEL)).isEqualTo(64 * MIB);
    assertThat(c.bufferBytesFor(InterfaceRole.ANY)).isEqualTo(64 * MIB);
    assertThat(c.bufferBytesFor(InterfaceRole.BRIDGE)).isEqualTo(64 * MIB);
    assertThat(c.bufferBytesFor(InterfaceRole.VETH)).isEqualTo(256 << 10);
    assertThat(c.bufferBytesFor(InterfaceRole.POD)).isEqualTo(256 << 10);
  }

  @Test
  void aSmallerBufferIsNeverEnlargedByThePodCap() {
    LiveCaptureConfig c = LiveCaptureConfig.defaults().withBufferBytes(2 * MIB);
    assertThat(c.bufferBytesFor(InterfaceRole.UPLINK)).isEqualTo(2 * MIB);
    assertThat(c.bufferBytesFor(InterfaceRole.BRIDGE)).isEqualTo(2 * MIB);
    assertThat(c.bufferBytesFor(InterfaceRole.VETH)).isEqualTo(256 << 10);
  }

  @Test
  void onlyPodHopsAreCapturedInImmediateModeByDefault() {
    LiveCaptureConfig c = LiveCaptureConfig.defaults();
    assertThat(c.immediateModeFor(InterfaceRole.POD)).isTrue();
    assertThat(c.immediateModeFor(InterfaceRole.VETH)).isTrue();
    assertThat(c.immediateModeFor(InterfaceRole.BRIDGE)).isFalse();
    assertThat(c.immediateModeFor(InterfaceRole.UPLINK)).isFalse();
    assertThat(c.withImmediateMode(true).immediateModeFor(InterfaceRole.BRIDGE)).isTrue();
  }

  @Test
  void immediateModeHopsSleepLongerWhenIdleBufferedHopsKeepTheBatchingDelay() {
    LiveCaptureConfig c = LiveCaptureConfig.defaults();
    assertThat(c.timeoutMillisFor(InterfaceRole.POD)).isEqualTo(1000);
    assertThat(c.timeoutMillisFor(InterfaceRole.VETH)).isEqualTo(1000);
    assertThat(c.timeoutMillisFor(InterfaceRole.BRIDGE)).isEqualTo(100);
    assertThat(c.timeoutMillisFor(InterfaceRole.UPLINK)).isEqualTo(100);
    assertThat(c.withTimeoutMillis(5000).timeoutMillisFor(InterfaceRole.POD)).isEqualTo(5000);
    assertThat(c.withImmediateMode(true).timeoutMillisFor(InterfaceRole.UPLINK)).isEqualTo(1000);
  }

  @Test
  void aBufferUnderOneMibIsRefused() {
    assertThatThrownBy(() -> LiveCaptureConfig.defaults().withBufferBytes(MIB - 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1 MiB");
  }
}
