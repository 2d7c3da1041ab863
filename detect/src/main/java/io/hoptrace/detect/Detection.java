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
  private final DeadlineTimers timers;
  private final AlertAggregator alerts;

  public Detection(
      DetectionConfig cfg,
      FlowStores flowStores,
      StateStore<String, Aggregate> aggregates,
      InventorySource inventory,
      Consumer<FlowRecord> flowOut,
      Consumer<Alert> alertOut) {
    this.alerts = new AlertAggregator(cfg, aggregates, alertOut);
    this.timers = new DeadlineTimers(flowStores.deadlines());
    this.flows =
        new FlowDetector(
            cfg,
            flowStores,
            timers,
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

  /** Packets a sensor's reducer folded (reduced summaries). */
  public void onCounters(io.hoptrace.schema.FlowHopCounters k) {
    flows.onCounters(k);
  }

  /** Drops the kernel reported for packets of a conversation (the drops topic). */
  public void onDrop(io.hoptrace.schema.KernelDrop k) {
    flows.onDrop(k);
  }

  /** Advances both stages to this event time (ns), firing the conversations' timers due. */
  public void advanceTo(long nowNanos) {
    flows.advanceTo(nowNanos);
    timers.fireDue(flows.now(), flows);
    alerts.advanceTo(flows.now());
  }

  public void checkInventory() {
    flows.checkInventory();
  }

  /** End of input: ends every conversation and flushes every window. */
  public void endOfInput() {
    timers.fireDue(flows.endOfInput(), flows);
    alerts.advanceTo(flows.now());
    alerts.endOfInput();
  }

  public FlowDetector flowDetector() {
    return flows;
  }
}
