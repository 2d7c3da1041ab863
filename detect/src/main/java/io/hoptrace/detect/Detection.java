package io.hoptrace.detect;

import io.hoptrace.detect.state.InMemoryStateStore;
import io.hoptrace.detect.state.StateStore;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.PacketSummary;
import java.util.function.Consumer;

/**
 * Both stages in one process: {@link FlowDetector} feeding {@link AlertAggregator} directly. For
 * hosts that keep all keys on one task (tests, a single-partition replay); partitioned hosts run
 * the two stages separately and repartition findings by {@link Finding#key()}.
 */
public final class Detection {
  private final FlowDetector flows;
  private final AlertAggregator alerts;

  public Detection(
      DetectionConfig cfg,
      FlowStores flowStores,
      StateStore<String, Aggregate> aggregates,
      InventorySource inventory,
      Consumer<FlowRecord> flowOut,
      Consumer<Alert> alertOut) {
    this.alerts = new AlertAggregator(cfg, aggregates, alertOut);
    this.flows =
        new FlowDetector(
            cfg,
            flowStores,
            inventory,
            new DetectionOutput() {
              @Override
              public void flow(FlowRecord record) {
                flowOut.accept(record);
              }

              @Override
              public void finding(Finding finding) {
                alerts.onFinding(finding);
              }
            });
  }

  /** Both stages over in-memory stores (values round-trip through their codecs). */
  public static Detection inMemory(
      DetectionConfig cfg,
      InventorySource inventory,
      Consumer<FlowRecord> flowOut,
      Consumer<Alert> alertOut) {
    return new Detection(
        cfg,
        FlowStores.inMemory(),
        new InMemoryStateStore<>(Codecs.aggregate()),
        inventory,
        flowOut,
        alertOut);
  }

  public void onPacket(PacketSummary p) {
    flows.onPacket(p);
  }

  /** Advances both stages to this event time (ns). */
  public void advanceTo(long nowNanos) {
    flows.advanceTo(nowNanos);
    alerts.advanceTo(flows.now());
  }

  public void checkInventory() {
    flows.checkInventory();
  }

  /** End of input: ends every conversation and flushes every window. */
  public void flush() {
    flows.flush();
    alerts.advanceTo(flows.now());
    alerts.flush();
  }

  public FlowDetector flowDetector() {
    return flows;
  }
}
