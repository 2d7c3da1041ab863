package io.hoptrace.lab;

import io.hoptrace.detect.Aggregate;
import io.hoptrace.detect.Codecs;
import io.hoptrace.detect.Detection;
import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.detect.FlowStores;
import io.hoptrace.detect.state.InMemoryStateStore;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.NodeInventory;
import io.hoptrace.schema.PacketSummary;
import java.util.ArrayList;
import java.util.List;

/** The plain-Java core, both stages in one process, in-memory stores. */
public final class CoreHarness implements Harness {
  private final List<NodeInventory> nodes = new ArrayList<>();
  private final List<Alert> alerts = new ArrayList<>();
  private final List<FlowRecord> flows = new ArrayList<>();
  private final DetectionConfig cfg;
  private final FlowStores stores;
  private final InMemoryStateStore<String, Aggregate> aggregates =
      new InMemoryStateStore<>(Codecs.aggregate());
  private Detection detection;

  public CoreHarness() {
    this(DetectionConfig.defaults());
  }

  public CoreHarness(DetectionConfig cfg) {
    this(cfg, FlowStores.inMemory());
  }

  /**
   * Over the given stores; {@link FlowStores#inMemoryObjects()} keeps the detector's own objects
   * (never passed through a codec), e.g. to check a codec against them.
   */
  public CoreHarness(DetectionConfig cfg, FlowStores stores) {
    this.cfg = cfg;
    this.stores = stores;
    restart();
  }

  public FlowStores stores() {
    return stores;
  }

  public InMemoryStateStore<String, Aggregate> aggregates() {
    return aggregates;
  }

  /** New detector objects over the same stores: what an engine does after a restart. */
  public void restart() {
    long now = detection == null ? Long.MIN_VALUE : detection.flowDetector().now();
    detection = new Detection(cfg, stores, aggregates, () -> nodes, flows::add, alerts::add);
    if (now != Long.MIN_VALUE) {
      detection.advanceTo(now);
    }
  }

  @Override
  public void nodes(List<NodeInventory> n) {
    nodes.clear();
    nodes.addAll(n);
    detection.checkInventory();
  }

  @Override
  public void send(List<PacketSummary> packets) {
    packets.forEach(detection::onPacket);
  }

  @Override
  public void drops(List<io.hoptrace.schema.KernelDrop> drops) {
    drops.forEach(detection::onDrop);
  }

  @Override
  public void idle(long nanos) {
    long now = detection.flowDetector().now();
    for (long t = nanos; t > 0; t -= 1_000_000_000L) {
      now += Math.min(t, 1_000_000_000L);
      detection.advanceTo(now);
    }
  }

  /**
   * Sends what a sensor's reducer published, in order: per-packet summaries and counters records
   * (reduced summaries).
   */
  public void sendRecords(List<? extends org.apache.avro.specific.SpecificRecord> records) {
    for (org.apache.avro.specific.SpecificRecord r : records) {
      if (r instanceof PacketSummary p) {
        detection.onPacket(p);
      } else if (r instanceof io.hoptrace.schema.FlowHopCounters k) {
        detection.onCounters(k);
      } else {
        throw new IllegalArgumentException("not a packets record: " + r.getClass());
      }
    }
  }

  @Override
  public void finish() {
    detection.endOfInput();
  }

  @Override
  public List<Alert> alerts() {
    return alerts;
  }

  @Override
  public List<FlowRecord> flows() {
    return flows;
  }

  @Override
  public void close() {}
}
