package io.hoptrace.flink;

import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.replay.Replay;
import io.hoptrace.route.NatLinkScanner;
import io.hoptrace.route.NatLinks;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AvroSerde;
import io.hoptrace.schema.AvroTrust;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.NodeInventory;
import io.hoptrace.schema.PacketSummary;
import io.hoptrace.schema.Topics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.clock.ManualClock;

/**
 * Both stages of the Flink job under Flink's operator test harnesses, wired as the job wires them:
 * packets through {@link PacketWatermarks} into stage 1, its findings and watermarks into stage 2,
 * flow records and alerts collected. Processing time is a manual wall clock. One subtask each; one
 * packets partition unless a test sends to others ({@link #send(int, String, PacketSummary)}): each
 * partition then has its own watermarks, and stage 1's is their smallest, as the Kafka source
 * combines its splits'.
 */
public final class StageHarness implements AutoCloseable {
  private final StageSettings settings;
  private final long latenessMs;
  private final long endJumpMs;
  private final AvroSerde<PacketSummary> packetSerde = AvroSerde.packetSummary();
  private final AvroSerde<NodeInventory> nodeSerde = AvroSerde.nodeInventory();
  private final AvroSerde<FlowRecord> flowSerde = AvroSerde.flowRecord();
  private final AvroSerde<Alert> alertSerde = AvroSerde.alert();
  private final List<Alert> alerts = new ArrayList<>();
  private final List<FlowRecord> flows = new ArrayList<>();
  private final List<String> ecs = new ArrayList<>();
  private final ManualClock activity = new ManualClock();
  private final NatLinkScanner nat;
  private final InventoryEnd inventoryEnd;
  private long nodesOffset;
  private KeyedBroadcastOperatorTestHarness<String, PacketIn, NodeUpdate, FindingIn> one;
  private KeyedOneInputStreamOperatorTestHarness<String, FindingIn, SinkRecord> two;
  private final List<PacketWatermarks> watermarks = new ArrayList<>();
  private final List<Long> partitionWatermarks = new ArrayList<>();
  private long wallMs;
  private long watermark = Long.MIN_VALUE;
  private long checkpoint;

  public StageHarness(DetectionConfig cfg, long wallMs) throws Exception {
    this(cfg, wallMs, InventoryEnd.none());
  }

  /**
   * Stage 1 waits for the nodes topic up to {@code inventoryEnd} (partition 0: {@link #nodes} sends
   * its records at offsets 0, 1, ...).
   */
  public StageHarness(DetectionConfig cfg, long wallMs, InventoryEnd inventoryEnd)
      throws Exception {
    AvroTrust.install();
    this.inventoryEnd = inventoryEnd;
    this.settings = new StageSettings(cfg, Topics.defaults(), DetectionGraph.DEFAULT_TICK);
    this.latenessMs = cfg.get(DetectionConfig.LATENESS_MS);
    this.endJumpMs = PacketWatermarks.endJumpMillis(cfg);
    this.wallMs = wallMs;
    this.nat = new NatLinkScanner(Replay.natWindowNanos(cfg));
    open(null, null);
  }

  /** Snapshots of both stages, as a checkpoint holds them. */
  public record Snapshot(OperatorSubtaskState one, OperatorSubtaskState two, long watermark) {}

  private void open(OperatorSubtaskState s1, OperatorSubtaskState s2) throws Exception {
    one =
        new KeyedBroadcastOperatorTestHarness<>(
            new InventoryFirst(new FlowStage(settings), inventoryEnd),
            p -> p.key,
            Types.STRING,
            1,
            1,
            0);
    two =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new AlertStage(settings)), f -> f.key, Types.STRING);
    one.setup();
    two.setup();
    one.initializeState(s1);
    two.initializeState(s2);
    one.open();
    two.open();
    one.setProcessingTime(wallMs);
    two.setProcessingTime(wallMs);
    // as NoWatermarks: the broadcast input is idle for good
    one.getOperator().processWatermarkStatus2(WatermarkStatus.IDLE);
    activity.advanceTime(java.time.Duration.ofMillis(1));
    watermarks.clear();
    partitionWatermarks.clear();
    partition(0);
  }

  /**
   * The watermark generator of packets partition {@code p} (never idle: the end marker ends it).
   */
  private PacketWatermarks partition(int p) {
    while (watermarks.size() <= p) {
      watermarks.add(new PacketWatermarks(latenessMs, Long.MAX_VALUE, endJumpMs, activity));
      partitionWatermarks.add(Long.MIN_VALUE);
    }
    return watermarks.get(p);
  }

  /** Takes a checkpoint of both stages. */
  public Snapshot snapshot() throws Exception {
    checkpoint++;
    return new Snapshot(
        one.snapshot(checkpoint, wallMs), two.snapshot(checkpoint, wallMs), watermark);
  }

  /** Closes both stages and starts new ones from a snapshot (a restarted job). */
  public void restore(Snapshot s) throws Exception {
    one.close();
    two.close();
    open(s.one(), s.two());
    if (s.watermark() != Long.MIN_VALUE) {
      one.processWatermark(new Watermark(s.watermark()));
      pump();
    }
  }

  public void nodes(List<NodeInventory> nodes) throws Exception {
    for (NodeInventory n : nodes) {
      one.processBroadcastElement(
          new NodeUpdate(n.getNode(), nodeSerde.encode(n), 0, nodesOffset++), wallMs);
    }
    pump();
  }

  /**
   * Packets under their routing key, as a replay publishes them (the NAT table of everything sent
   * so far, {@link NatLinkScanner}), then the periodic watermark.
   */
  public void send(List<PacketSummary> packets) throws Exception {
    List<PacketSummary> byTime = new ArrayList<>(packets);
    byTime.sort(Comparator.comparingLong(PacketSummary::getTsNanos));
    byTime.forEach(p -> nat.add(p, p.getFlowKey()));
    NatLinks links = nat.build();
    for (PacketSummary p : packets) {
      send(p.getFlowKey() == null ? "" : links.route(p.getFlowKey()), p);
    }
    watermarks.get(0).onPeriodicEmit(output(0));
    pump();
  }

  /** One packet under a routing key. */
  public void send(String key, PacketSummary p) throws Exception {
    send(0, key, p);
  }

  /** One packet under a routing key from packets partition {@code partition}. */
  public void send(int partition, String key, PacketSummary p) throws Exception {
    PacketIn in = new PacketIn(key, p.getTsNanos(), packetSerde.encode(p));
    long ts = p.getTsNanos() / 1_000_000L;
    partition(partition).onEvent(in, ts, output(partition));
    one.processElement(in, ts);
    pump();
  }

  /** The periodic watermarks of every partition. */
  public void periodicWatermarks() throws Exception {
    for (int i = 0; i < watermarks.size(); i++) {
      watermarks.get(i).onPeriodicEmit(output(i));
    }
    pump();
  }

  /** A kernel drop record under its flow key, as the drops topic feeds the packets source. */
  public void drop(io.hoptrace.schema.KernelDrop k) throws Exception {
    PacketIn in =
        new PacketIn(
            k.getFlowKey(),
            k.getIntervalEndNanos(),
            io.hoptrace.schema.AvroSerde.kernelDrop().encode(k));
    in.drop = true;
    long ts = k.getIntervalEndNanos() / 1_000_000L;
    watermarks.get(0).onEvent(in, ts, output(0));
    one.processElement(in, ts);
    pump();
  }

  /** Wall time passes (processing-time timers of both stages). */
  public void wall(long ms) throws Exception {
    wallMs += ms;
    one.setProcessingTime(wallMs);
    pump();
    two.setProcessingTime(wallMs);
    pump();
  }

  /** Event time passes: stage 1's watermark moves to {@code ms} (its event-time timers fire). */
  public void watermark(long ms) throws Exception {
    if (ms > watermark) {
      watermark = ms;
      one.processWatermark(new Watermark(ms));
      pump();
    }
  }

  /** How many NAT fingerprints stage 1 keeps under routing key {@code key}. */
  public int fingerprints(String key) throws Exception {
    var backend = one.getOperator().<String>getKeyedStateBackend();
    backend.setCurrentKey(key);
    var state =
        backend.getPartitionedState(
            org.apache.flink.runtime.state.VoidNamespace.INSTANCE,
            org.apache.flink.runtime.state.VoidNamespaceSerializer.INSTANCE,
            FlowStage.fingerprintsDescriptor());
    int n = 0;
    for (var e : state.entries()) {
      n++;
    }
    return n;
  }

  /** The end-of-input marker of every partition. */
  public void endOfInput() throws Exception {
    for (int i = 0; i < watermarks.size(); i++) {
      watermarks.get(i).onEvent(PacketIn.flushMarker(), wallMs, output(i));
    }
    pump();
  }

  /** Partition {@code p}'s watermarks; stage 1 gets the smallest of all partitions'. */
  private WatermarkOutput output(int p) {
    return new WatermarkOutput() {
      @Override
      public void emitWatermark(org.apache.flink.api.common.eventtime.Watermark w) {
        partitionWatermarks.set(p, Math.max(partitionWatermarks.get(p), w.getTimestamp()));
        long combined = partitionWatermarks.stream().mapToLong(Long::longValue).min().orElseThrow();
        if (combined > watermark) {
          watermark = combined;
          try {
            one.processWatermark(new Watermark(watermark));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
      }

      @Override
      public void markIdle() {}

      @Override
      public void markActive() {}
    };
  }

  /** Moves stage 1's output into stage 2, and collects flow records and alerts. */
  private void pump() throws Exception {
    Object o;
    while ((o = one.getOutput().poll()) != null) {
      if (o instanceof StreamRecord<?> r) {
        FindingIn f = (FindingIn) r.getValue();
        two.processElement(f, r.hasTimestamp() ? r.getTimestamp() : wallMs);
      } else if (o instanceof Watermark w) {
        two.processWatermark(w);
      }
    }
    StreamRecord<SinkRecord> fr;
    var flowQueue = one.getSideOutput(FlowStage.FLOWS);
    while (flowQueue != null && (fr = flowQueue.poll()) != null) {
      flows.add(flowSerde.decode(fr.getValue().value));
    }
    while ((o = two.getOutput().poll()) != null) {
      if (o instanceof StreamRecord<?> r && r.getValue() instanceof SinkRecord s) {
        if (s.topic.equals(settings.topics().alerts())) {
          alerts.add(alertSerde.decode(s.value));
        } else {
          ecs.add(new String(s.value, java.nio.charset.StandardCharsets.UTF_8));
        }
      }
    }
  }

  public List<Alert> alerts() {
    return alerts;
  }

  public List<FlowRecord> flows() {
    return flows;
  }

  public List<String> ecs() {
    return ecs;
  }

  @Override
  public void close() throws Exception {
    one.close();
    two.close();
  }
}
