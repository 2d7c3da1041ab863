package io.hoptrace.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.capture.InterfaceRoles;
import io.hoptrace.schema.NodeInventory;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InventoryCollectorTest {

  /** Answers ip/bridge commands from the fixtures and records them. */
  static final class FakeIp implements CommandRunner {
    final List<List<String>> commands = new ArrayList<>();
    boolean fdbFails;

    @Override
    public String run(List<String> command, Duration timeout) throws InventoryException {
      commands.add(command);
      String joined = String.join(" ", command);
      if (joined.contains("fdb show")) {
        if (fdbFails) {
          throw new InventoryException("'bridge' not found");
        }
        return Fixtures.load("node-fdb-" + command.get(command.size() - 1) + ".json");
      }
      if (joined.contains("neigh show")) {
        return Fixtures.load("node-neigh-" + command.get(command.size() - 1) + ".json");
      }
      if (joined.contains("link show")) {
        return Fixtures.load("node-link.json");
      }
      if (joined.contains("addr show")) {
        return Fixtures.load("node-addr.json");
      }
      if (joined.contains("route show")) {
        return Fixtures.load("node-route.json");
      }
      throw new InventoryException("unexpected " + joined);
    }
  }

  private static final InstantSource CLOCK =
      InstantSource.fixed(Instant.ofEpochSecond(1_700_000_000L, 5));

  @Test
  void collectsWithIpAndBridgeInsideTheNamespace() throws Exception {
    FakeIp ip = new FakeIp();
    InventoryCollector c =
        new InventoryCollector(
            new InventoryCollector.Target("node-a", "ns1", null, null),
            InterfaceRoles.defaults(),
            ip,
            CLOCK);
    NodeInventory inv = c.collect();
    assertThat(inv.getTsNanos()).isEqualTo(1_700_000_000_000_000_005L);
    assertThat(inv.getVteps().get(0).getFdb()).hasSize(2);
    assertThat(ip.commands)
        .contains(
            List.of("ip", "-n", "ns1", "-d", "-j", "link", "show"),
            List.of("ip", "-n", "ns1", "-j", "addr", "show"),
            List.of("ip", "-n", "ns1", "-j", "route", "show"),
            List.of("bridge", "-n", "ns1", "-j", "fdb", "show", "dev", "flannel.1"),
            List.of("ip", "-n", "ns1", "-j", "neigh", "show", "dev", "flannel.1"));
  }

  @Test
  void unreadableFdbLeavesTheVtepWithoutEntries() throws Exception {
    FakeIp ip = new FakeIp();
    ip.fdbFails = true;
    NodeInventory inv =
        new InventoryCollector(
                InventoryCollector.Target.node("n"), InterfaceRoles.defaults(), ip, CLOCK)
            .collect();
    assertThat(inv.getVteps().get(0).getFdb()).isEmpty();
    assertThat(inv.getVteps().get(0).getNeighbors()).hasSize(2);
    assertThat(ip.commands.get(0)).containsExactly("ip", "-d", "-j", "link", "show");
  }

  @Test
  void missingProgramIsAClearError() {
    assertThatThrownBy(
            () ->
                new ProcessCommandRunner()
                    .run(List.of("hoptrace-no-such-program"), Duration.ofSeconds(5)))
        .isInstanceOf(InventoryException.class)
        .hasMessageContaining("'hoptrace-no-such-program' not found");
  }

  @Test
  void failingCommandReportsItsErrorLine() {
    assertThatThrownBy(
            () ->
                new ProcessCommandRunner()
                    .run(List.of("sh", "-c", "echo boom >&2; exit 3"), Duration.ofSeconds(5)))
        .hasMessageContaining("failed (exit 3): boom");
  }

  @Test
  void slowCommandTimesOut() {
    assertThatThrownBy(
            () -> new ProcessCommandRunner().run(List.of("sleep", "5"), Duration.ofMillis(200)))
        .hasMessageContaining("timed out");
  }

  @Test
  void targetValidatesItsSettings() {
    assertThatThrownBy(() -> InventoryCollector.Target.node(" ")).hasMessageContaining("node");
    assertThatThrownBy(() -> new InventoryCollector.Target("n", "../x", null, null))
        .hasMessageContaining("namespace");
    assertThat(InventoryCollector.Target.node("n").timeout()).isEqualTo(Duration.ofSeconds(10));
  }
}
