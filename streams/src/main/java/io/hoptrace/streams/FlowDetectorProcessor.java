package io.hoptrace.streams;

import io.hoptrace.detect.DeadlineTimers;
import io.hoptrace.detect.Deadlines;
import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.detect.DetectionOutput;
import io.hoptrace.detect.DetectionStats;
import io.hoptrace.detect.EventClock;
import io.hoptrace.detect.Finding;
import io.hoptrace.detect.FlowDetector;
import io.hoptrace.detect.FlowStores;
import io.hoptrace.detect.state.InMemoryStateStore;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.NodeInventory;
import io.hoptrace.schema.PacketsRecordCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage 1: hosts {@link FlowDetector} over the task's stores; one instance per task. Both kinds of
 * packets record and the kernel's drop records go to the core ({@link FlowDetector#onRecord}); a
 * record that fails detection is counted and skipped.
 */
final class FlowDetectorProcessor implements Processor<String, SpecificRecord, String, StageOne> {
  private static final Logger LOG = LoggerFactory.getLogger(FlowDetectorProcessor.class);

  private final DetectionConfig cfg;
  private final Duration interval;
  private final EventClock clock;
  private ProcessorContext<String, StageOne> ctx;
  private FlowDetector core;
  private DeadlineTimers timers;
  private boolean inventoryTask;
  private int partition;
  private long errors;

  private final DetectionStats stats;
  private String source;

  FlowDetectorProcessor(DetectionConfig cfg, Duration interval, DetectionStats stats) {
    this.cfg = cfg;
    this.clock = EventClock.of(cfg);
    this.interval = interval;
    this.stats = stats;
  }

  @Override
  public void init(ProcessorContext<String, StageOne> context) {
    this.ctx = context;
    FlowStores stores =
        new FlowStores(
            context.getStateStore(DetectionTopology.CONVERSATIONS_STORE),
            context.getStateStore(DetectionTopology.ALIASES_STORE),
            // the NAT fingerprint index is derived state: in memory, rebuilt from the restored
            // conversations below (no store, no changelog: 2/3 of stage 1's state writes)
            new InMemoryStateStore<>(),
            // so is the index of deadlines by time: each conversation holds its own deadline
            new Deadlines(new InMemoryStateStore<>()),
            context.getStateStore(DetectionTopology.HOPS_STORE));
    KeyValueStore<String, NodeInventory> nodes =
        context.getStateStore(DetectionTopology.NODES_STORE);
    // the core's timers are entries of the deadline index; punctuations fire the due ones
    timers = new DeadlineTimers(stores.deadlines());
    core =
        new FlowDetector(
            cfg,
            stores,
            timers,
            () -> {
              List<NodeInventory> all = new ArrayList<>();
              try (KeyValueIterator<String, NodeInventory> it = nodes.all()) {
                while (it.hasNext()) {
                  KeyValue<String, NodeInventory> kv = it.next();
                  if (kv.value != null) {
                    all.add(kv.value);
                  }
                }
              }
              return all;
            },
            new DetectionOutput() {
              @Override
              public void flow(FlowRecord r) {
                ctx.forward(
                    new Record<>(
                        r.getConversationId(), new StageOne(r, null), ms(r.getLastSeen())));
              }

              @Override
              public void finding(Finding f) {
                ctx.forward(
                    new Record<>(f.key(), new StageOne(null, f), ms(f.alert().getLastSeen())));
              }
            });
    int indexed = core.rebuildNatIndex();
    int waiting = core.restoreTimers();
    if (indexed > 0 || waiting > 0) {
      LOG.info(
          "task {}: NAT index and timers rebuilt from state ({} sightings, {} timers)",
          context.taskId(),
          indexed,
          waiting);
    }
    partition = context.taskId().partition();
    inventoryTask = partition == 0;
    source = context.taskId().toString();
    context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, this::onWallClock);
    context.schedule(
        interval,
        PunctuationType.STREAM_TIME,
        ts -> {
          advanceTo(ts * 1_000_000L);
          progress();
        });
  }

  static long ms(long nanos) {
    return Math.max(0, nanos / 1_000_000L);
  }

  private void advanceTo(long nanos) {
    core.advanceTo(nanos);
    timers.fireDue(core.now(), core);
  }

  private void onWallClock(long wallMs) {
    long now = clock.now(wallMs * 1_000_000L);
    if (now != Long.MIN_VALUE) {
      advanceTo(now);
    }
    if (inventoryTask) {
      core.checkInventory();
    }
    stats.publish(source, core);
    progress();
  }

  /**
   * Tells every stage-2 partition that this task fired everything due up to its event time: every
   * finding it makes from now on is stamped at that time or later.
   */
  private void progress() {
    long now = core.now();
    if (now != Long.MIN_VALUE) {
      ctx.forward(
          new Record<>(
              DetectionTopology.PROGRESS_KEY,
              new StageOne(
                  null,
                  Finding.marker(DetectionTopology.PROGRESS_KEY, String.valueOf(partition), now)),
              ms(now)));
    }
  }

  @Override
  public void close() {
    if (source != null) {
      stats.remove(source);
    }
  }

  @Override
  public void process(Record<String, SpecificRecord> record) {
    if (DetectionTopology.FLUSH_KEY.equals(record.key())) {
      timers.fireDue(core.endOfInput(), core);
      ctx.forward(
          new Record<>(
              DetectionTopology.FLUSH_KEY,
              new StageOne(
                  null, Finding.marker(DetectionTopology.FLUSH_KEY, String.valueOf(partition), 0)),
              record.timestamp()));
      return;
    }
    SpecificRecord r = record.value();
    if (r == null) {
      return;
    }
    clock.observe(PacketsRecordCodec.eventTimeNanos(r), ctx.currentSystemTimeMs() * 1_000_000L);
    try {
      core.onRecord(r);
    } catch (RuntimeException e) {
      errors++;
      if (errors <= 10 || Long.bitCount(errors) == 1) {
        LOG.warn(
            "skipping {} record that failed detection (#{}): {}",
            r.getSchema().getName(),
            errors,
            e.toString(),
            e);
      }
    }
  }
}
