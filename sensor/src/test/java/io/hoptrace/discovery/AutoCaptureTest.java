package io.hoptrace.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.capture.HopContext;
import io.hoptrace.capture.NetnsTarget;
import io.hoptrace.inventory.InventoryException;
import io.hoptrace.schema.InterfaceRole;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AutoCaptureTest {
  /** A capture that records its closing. */
  record Fake(String id, List<String> closedLog) implements AutoCloseable {
    @Override
    public void close() {
      closedLog.add(id);
    }
  }

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<String> closed = new ArrayList<>();
  private final Set<String> refuse = new HashSet<>();
  private List<DiscoveredHop> hops = new ArrayList<>();
  private boolean nodeUnreadable;

  private static DiscoveredHop pod(String name) {
    return new DiscoveredHop(
        new HopContext("node-a", name, "eth0", InterfaceRole.POD),
        NetnsTarget.named("ht-" + name),
        null);
  }

  private static DiscoveredHop node(String iface) {
    return new DiscoveredHop(
        new HopContext("node-a", null, iface, InterfaceRole.UPLINK), null, null);
  }

  private AutoCapture<Fake> auto() {
    return new AutoCapture<>(
        () -> {
          if (nodeUnreadable) {
            throw new InventoryException("'ip -d -j link show' failed");
          }
          return hops;
        },
        h -> {
          if (refuse.contains(h.id())) {
            throw new IllegalStateException("no such device");
          }
          return new Fake(h.id(), closed);
        },
        registry);
  }

  private double events(String event) {
    return registry.get(AutoCapture.HOPS_EVENTS).tag("event", event).counter().count();
  }

  private static List<String> ids(AutoCapture<Fake> a) {
    return a.captures().stream().map(Fake::id).toList();
  }

  @Test
  void newHopsAreOpenedGoneOnesClosedAndKeptOnesLeftRunning() throws Exception {
    AutoCapture<Fake> a = auto();
    hops = List.of(node("ens33"), pod("pod-a1"));
    a.refresh();
    assertThat(ids(a)).containsExactly("node-a/ens33", "node-a/pod-a1/eth0");
    Fake ens33 = a.capture("node-a/ens33").orElseThrow();

    hops = List.of(node("ens33"), pod("pod-a2"));
    a.refresh();
    assertThat(ids(a)).containsExactly("node-a/ens33", "node-a/pod-a2/eth0");
    assertThat(a.capture("node-a/ens33")).containsSame(ens33);
    assertThat(closed).containsExactly("node-a/pod-a1/eth0");
    assertThat(events("started")).isEqualTo(3);
    assertThat(events("stopped")).isEqualTo(1);
    assertThat(registry.get(AutoCapture.HOPS_ACTIVE).gauge().value()).isEqualTo(2);

    a.close();
    assertThat(closed)
        .containsExactlyInAnyOrder("node-a/pod-a1/eth0", "node-a/ens33", "node-a/pod-a2/eth0");
    assertThat(a.captures()).isEmpty();
  }

  @Test
  void aHopThatCannotBeOpenedIsCountedAndRetried() throws Exception {
    AutoCapture<Fake> a = auto();
    hops = List.of(node("ens33"), pod("pod-a1"));
    refuse.add("node-a/pod-a1/eth0");
    a.refresh();
    assertThat(ids(a)).containsExactly("node-a/ens33");
    assertThat(events("failed")).isEqualTo(1);
    refuse.clear();
    a.refresh();
    assertThat(ids(a)).containsExactly("node-a/ens33", "node-a/pod-a1/eth0");
  }

  @Test
  void anUnreadableNodeKeepsTheCapturesRunning() throws Exception {
    AutoCapture<Fake> a = auto();
    hops = List.of(node("ens33"));
    a.refresh();
    nodeUnreadable = true;
    assertThatThrownBy(a::refresh).isInstanceOf(InventoryException.class);
    assertThat(ids(a)).containsExactly("node-a/ens33");
    assertThat(closed).isEmpty();
  }
}
