package io.hoptrace.lab;

import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.flink.InventoryEnd;
import io.hoptrace.flink.StageHarness;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.NodeInventory;
import io.hoptrace.schema.PacketSummary;
import java.util.List;

/**
 * The Flink job's two stages ({@link StageHarness}: Flink's keyed operator test harnesses, heap
 * state, event-time and processing-time timers) as a scenario harness of the detection core.
 */
public final class FlinkHarness implements Harness {
  private final StageHarness stages;

  public FlinkHarness() {
    this(InventoryEnd.none());
  }

  /** Stage 1 waits for the nodes topic up to {@code inventoryEnd} ({@link StageHarness}). */
  public FlinkHarness(InventoryEnd inventoryEnd) {
    try {
      stages = new StageHarness(DetectionConfig.defaults(), Lab.sec(0) / 1_000_000L, inventoryEnd);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the Flink stages: " + e, e);
    }
  }

  /** The stages underneath (snapshots, restores). */
  public StageHarness stages() {
    return stages;
  }

  private interface Step {
    void run() throws Exception;
  }

  private static void run(Step s) {
    try {
      s.run();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void nodes(List<NodeInventory> nodes) {
    run(
        () -> {
          stages.nodes(nodes);
          stages.wall(1_000);
        });
  }

  @Override
  public void send(List<PacketSummary> packets) {
    run(() -> stages.send(packets));
  }

  @Override
  public void drops(List<io.hoptrace.schema.KernelDrop> drops) {
    run(
        () -> {
          for (io.hoptrace.schema.KernelDrop k : drops) {
            stages.drop(k);
          }
        });
  }

  @Override
  public void idle(long nanos) {
    run(
        () -> {
          for (long t = nanos; t > 0; t -= 1_000_000_000L) {
            stages.wall(Math.min(t, 1_000_000_000L) / 1_000_000L);
          }
        });
  }

  @Override
  public void finish() {
    run(stages::endOfInput);
  }

  @Override
  public List<Alert> alerts() {
    return stages.alerts();
  }

  @Override
  public List<FlowRecord> flows() {
    return stages.flows();
  }

  @Override
  public void close() {
    run(stages::close);
  }

  /** Registers this host with the scenario suite of the detection module's test-jar. */
  public static final class Factory implements HarnessFactory {
    @Override
    public String name() {
      return "flink";
    }

    @Override
    public Harness create() {
      return new FlinkHarness();
    }
  }
}
