package io.hoptrace.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.capture.InterfaceRoles;
import io.hoptrace.schema.NodeInventory;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class InventoryWatcherTest {

  /** Keeps the scheduled task so the test runs it by hand. */
  static final class ManualScheduler implements InventoryWatcher.Scheduler {
    Runnable task;
    Duration interval;
    boolean cancelled;

    @Override
    public AutoCloseable scheduleRepeatedly(Runnable task, Duration interval) {
      this.task = task;
      this.interval = interval;
      return () -> cancelled = true;
    }
  }

  private static NodeInventory inventory(long ts, String podCidr) throws Exception {
    NodeInventory base =
        new InventoryParser(InterfaceRoles.defaults()).parse("n", null, ts, Fixtures.node());
    base.setPodCidr(podCidr);
    return base;
  }

  @Test
  void listenerHearsOnlyRealChangesNotNewTimestamps() throws Exception {
    Deque<Object> answers =
        new ArrayDeque<>(
            List.of(
                inventory(1, "10.244.1.0/24"),
                inventory(2, "10.244.1.0/24"),
                new InventoryException("ip: timed out"),
                inventory(3, "10.244.1.0/24"),
                inventory(4, "10.244.7.0/24")));
    List<NodeInventory> heard = new ArrayList<>();
    ManualScheduler scheduler = new ManualScheduler();
    InventoryWatcher w =
        new InventoryWatcher(
            () -> {
              Object a = answers.removeFirst();
              if (a instanceof InventoryException e) {
                throw e;
              }
              return (NodeInventory) a;
            },
            heard::add,
            InventoryWatcher.DEFAULT_INTERVAL,
            scheduler);
    w.start();
    assertThat(scheduler.interval).isEqualTo(Duration.ofSeconds(30));
    for (int i = 0; i < 5; i++) {
      scheduler.task.run();
    }
    assertThat(heard).extracting(NodeInventory::getTsNanos).containsExactly(1L, 4L);
    assertThat(w.polls()).isEqualTo(5);
    assertThat(w.failures()).isEqualTo(1);
    assertThat(w.changes()).isEqualTo(2);
    assertThat(w.lastError()).isNull();
    assertThat(w.last().getPodCidr()).isEqualTo("10.244.7.0/24");
    w.close();
    assertThat(scheduler.cancelled).isTrue();
  }

  @Test
  void failedPollKeepsTheErrorMessage() {
    InventoryWatcher w =
        new InventoryWatcher(
            () -> {
              throw new InventoryException("'ip' not found");
            },
            inv -> {},
            Duration.ofSeconds(1),
            new ManualScheduler());
    assertThat(w.pollOnce()).isFalse();
    assertThat(w.lastError()).isEqualTo("'ip' not found");
    assertThat(w.last()).isNull();
  }

  @Test
  void tooShortIntervalIsRefused() {
    assertThatThrownBy(
            () ->
                new InventoryWatcher(
                    () -> null, inv -> {}, Duration.ofMillis(10), new ManualScheduler()))
        .hasMessageContaining("interval");
  }
}
