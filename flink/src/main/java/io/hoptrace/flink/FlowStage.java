package io.hoptrace.flink;

import io.hoptrace.detect.Codecs;
import io.hoptrace.detect.Conversation;
import io.hoptrace.detect.Deadlines;
import io.hoptrace.detect.DetectionOutput;
import io.hoptrace.detect.DetectionStats;
import io.hoptrace.detect.EventClock;
import io.hoptrace.detect.Finding;
import io.hoptrace.detect.FingerprintEntry;
import io.hoptrace.detect.FlowDetector;
import io.hoptrace.detect.FlowStores;
import io.hoptrace.detect.TimeBase;
import io.hoptrace.flink.state.AliasStore;
import io.hoptrace.flink.state.MapStateStore;
import io.hoptrace.flink.state.StateCodec;
import io.hoptrace.flink.state.SubtaskStores;
import io.hoptrace.schema.AvroSerde;
import io.hoptrace.schema.AvroTrust;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.KernelDrop;
import io.hoptrace.schema.PacketsRecordCodec;
import io.hoptrace.schema.PacketsRecordSerde;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage 1 in Flink: hosts {@link FlowDetector} (one per subtask) keyed by the packets' routing key
 * (every tuple of a NAT-ed conversation has the same one, so a conversation, its aliases and its
 * NAT fingerprints are keyed state of that key). The node inventory is broadcast state; the hops
 * sensors reported and the core's bookkeeping are per subtask ({@link SubtaskStores}), as the Kafka
 * Streams host keeps them per task. Findings are the main output (keyed by alert subject for stage
 * 2), flow records the side output {@link #FLOWS}.
 *
 * <p>Metrics: the core's counters go to {@link LocalJobStats} (every second and at each
 * checkpoint), where the CLI's {@code --metrics-port} reads them.
 *
 * <p>Time ({@link TimeBase#HOST}): the core's clock is the watermark, which every packets partition
 * has passed, never the largest capture time seen here (that of whichever partition ran ahead);
 * event-time timers (the watermark passed a deadline, end of input included) and, once the input
 * went silent, processing-time timers (the wall-clock extrapolation passed it) wake the key's due
 * conversations ({@link KeyedTimers}).
 */
public final class FlowStage
    extends KeyedBroadcastProcessFunction<String, PacketIn, NodeUpdate, FindingIn>
    implements CheckpointedFunction {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(FlowStage.class);

  /** Flow records, ready for the sink. */
  public static final OutputTag<SinkRecord> FLOWS =
      new OutputTag<>("flows", TypeInformation.of(SinkRecord.class));

  /** The broadcast state of the node inventory (Avro bytes by node name). */
  public static final MapStateDescriptor<String, byte[]> NODES = BroadcastInventory.DESCRIPTOR;

  private final StageSettings settings;
  private final String statsJob;

  private transient SubtaskStores subtask;
  private transient FlowDetector core;
  private transient KeyedTimers timers;
  private transient SweptFingerprints fingerprints;
  private transient EventClock clock;
  private transient BroadcastInventory inventory;
  private transient PacketsRecordSerde packets;
  private transient AvroSerde<KernelDrop> drops;
  private transient AvroSerde<FlowRecord> flowSerde;
  private transient String flowsTopic;
  private transient Collector<FindingIn> findingsOut;
  private transient Consumer<SinkRecord> flowsOut;
  private transient boolean inventoryTask;
  private transient long errors;
  private transient DetectionStats stats;
  private transient String statsSource;
  private transient long publishedAtMs;

  /**
   * The NAT fingerprints of a key ({@link SweptFingerprints}). Named "-swept": the state called
   * "fingerprints" had Flink's TTL, which a restore cannot drop.
   */
  static MapStateDescriptor<Long, FingerprintEntry> fingerprintsDescriptor() {
    return new MapStateDescriptor<>(
        "fingerprints-swept", LongSerializer.INSTANCE, StateCodec.FINGERPRINT.serializer());
  }

  public FlowStage(StageSettings settings) {
    this(settings, null);
  }

  /**
   * @param statsJob publishes the core's counters to {@link LocalJobStats#of}({@code statsJob})
   *     every second of wall time and at each checkpoint (null: nowhere)
   */
  public FlowStage(StageSettings settings, String statsJob) {
    this.settings = settings;
    this.statsJob = statsJob;
  }

  @Override
  public void initializeState(FunctionInitializationContext ctx) throws Exception {
    subtask = new SubtaskStores();
    subtask.initialize(ctx);
  }

  @Override
  public void snapshotState(FunctionSnapshotContext ctx) throws Exception {
    subtask.snapshot();
    if (stats != null) {
      stats.publish(statsSource, core);
    }
  }

  @Override
  public void open(OpenContext openContext) {
    AvroTrust.install();
    packets = PacketsRecordSerde.get();
    drops = AvroSerde.kernelDrop();
    flowSerde = AvroSerde.flowRecord();
    flowsTopic = settings.topics().flows();
    clock = EventClock.of(settings.detection());
    inventory = new BroadcastInventory();
    MapStateStore<String, Long> index =
        new MapStateStore<>(
            getRuntimeContext()
                .getMapState(new MapStateDescriptor<>("deadline-index", Types.STRING, Types.LONG)));
    MapStateStore<String, Conversation> conversations =
        new MapStateStore<>(
            getRuntimeContext()
                .getMapState(
                    new MapStateDescriptor<>(
                        "conversations",
                        StringSerializer.INSTANCE,
                        StateCodec.CONVERSATION.<Conversation>serializer())));
    MapStateStore<String, String> aliases =
        new MapStateStore<>(
            getRuntimeContext()
                .getMapState(new MapStateDescriptor<>("aliases", Types.STRING, Types.STRING)));
    fingerprints =
        new SweptFingerprints(
            new MapStateStore<>(getRuntimeContext().getMapState(fingerprintsDescriptor())),
            FlowDetector.fingerprintRetentionNanos(settings.detection()));
    FlowStores stores =
        new FlowStores(
            conversations,
            new AliasStore(aliases, subtask.bookkeeping()),
            fingerprints,
            new Deadlines(index),
            subtask.hops());
    timers = new KeyedTimers(index, settings.ticks(), clock);
    core =
        new FlowDetector(
            settings.detection(), TimeBase.HOST, stores, timers, inventory, new Output());
    int subtaskIndex = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
    inventoryTask = subtaskIndex == 0;
    if (statsJob != null) {
      stats = LocalJobStats.of(statsJob);
      statsSource = "flow-detector-" + subtaskIndex;
    }
  }

  @Override
  public void close() {
    if (stats != null) {
      stats.remove(statsSource);
    }
  }

  /** Publishes the core's counters when a second of wall time passed since the last time. */
  private void publish(long wallMs) {
    if (stats != null && wallMs - publishedAtMs >= 1_000) {
      publishedAtMs = wallMs;
      stats.publish(statsSource, core);
    }
  }

  private void bind(Collector<FindingIn> out, Consumer<SinkRecord> flows) {
    this.findingsOut = out;
    this.flowsOut = flows;
  }

  @Override
  public void processElement(PacketIn in, ReadOnlyContext ctx, Collector<FindingIn> out)
      throws Exception {
    if (in.flush || in.value == null) {
      return; // end of input travels as the watermark (PacketWatermarks)
    }
    bind(out, r -> ctx.output(FLOWS, r));
    timers.bind(ctx.timerService());
    fingerprints.bind(ctx.timerService());
    inventory.load(ctx.getBroadcastState(BroadcastInventory.DESCRIPTOR));
    SpecificRecord r = null;
    try {
      if (in.drop) {
        KernelDrop k = drops.decode(in.value);
        r = k;
        core.onDrop(k);
      } else {
        r = packets.decode(null, in.value);
        clock.observe(
            PacketsRecordCodec.eventTimeNanos(r),
            Ticks.nanos(ctx.timerService().currentProcessingTime()));
        core.onRecord(r);
      }
    } catch (RuntimeException e) {
      errors++;
      if (errors <= 10 || Long.bitCount(errors) == 1) {
        LOG.warn(
            "skipping {} record that failed detection (#{}): {}",
            r == null ? (in.drop ? "drops" : "packets") : r.getSchema().getName(),
            errors,
            e,
            e);
      }
    }
    publish(ctx.timerService().currentProcessingTime());
  }

  @Override
  public void processBroadcastElement(NodeUpdate u, Context ctx, Collector<FindingIn> out)
      throws Exception {
    bind(out, r -> ctx.output(FLOWS, r));
    inventory.apply(ctx.getBroadcastState(BroadcastInventory.DESCRIPTOR), u);
    if (inventoryTask) {
      core.checkInventory();
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<FindingIn> out)
      throws Exception {
    bind(out, r -> ctx.output(FLOWS, r));
    timers.bind(ctx.timerService());
    fingerprints.bind(ctx.timerService());
    inventory.load(ctx.getBroadcastState(BroadcastInventory.DESCRIPTOR));
    publish(ctx.timerService().currentProcessingTime());
    if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
      long watermark = Ticks.nanos(ctx.timerService().currentWatermark());
      core.advanceTo(watermark);
      timers.fireDue(watermark, core);
      core.forgetOldFingerprints(watermark); // the key's SweptFingerprints timer, or any other
    } else {
      long now = clock.extrapolated(Ticks.nanos(ctx.timerService().currentProcessingTime()));
      if (now != Long.MIN_VALUE) {
        core.advanceTo(now);
        timers.fireDue(core.now(), core);
      }
      timers.rearm();
    }
  }

  static long ms(long nanos) {
    return Math.max(0, nanos / 1_000_000L);
  }

  /** The core's results, to the outputs of the call in progress. */
  private final class Output implements DetectionOutput {
    @Override
    public void flow(FlowRecord r) {
      flowsOut.accept(
          new SinkRecord(
              flowsTopic, r.getConversationId(), flowSerde.encode(r), ms(r.getLastSeen())));
    }

    @Override
    public void finding(Finding f) {
      findingsOut.collect(new FindingIn(f.key(), Codecs.finding().encode(f)));
    }
  }
}
