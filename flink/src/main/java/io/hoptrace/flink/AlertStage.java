package io.hoptrace.flink;

import io.hoptrace.detect.Aggregate;
import io.hoptrace.detect.AlertAggregator;
import io.hoptrace.detect.Codecs;
import io.hoptrace.detect.EventClock;
import io.hoptrace.detect.Finding;
import io.hoptrace.ecs.EcsAlertJson;
import io.hoptrace.flink.state.MapStateStore;
import io.hoptrace.flink.state.StateCodec;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AvroSerde;
import io.hoptrace.schema.AvroTrust;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage 2 in Flink: hosts {@link AlertAggregator} (one per subtask) keyed by alert subject, its
 * aggregate in keyed state. Each alert goes to {@code alerts} (Avro) and {@code alerts.ecs} (ECS
 * JSON), keyed by alert id, as the Kafka Streams job writes them.
 *
 * <p>Time: while the subject holds an aggregate it is woken every tick of event time (the
 * watermark) and of wall time (the wall-clock extrapolation of event time), as the Kafka Streams
 * host punctuates; end of input is the watermark jump of {@link PacketWatermarks}.
 */
public final class AlertStage extends KeyedProcessFunction<String, FindingIn, SinkRecord> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(AlertStage.class);

  private final StageSettings settings;

  private transient AlertAggregator core;
  private transient MapStateStore<String, Aggregate> aggregates;
  private transient EventClock clock;
  private transient Ticks ticks;
  private transient AvroSerde<Alert> alertSerde;
  private transient String alertsTopic;
  private transient String ecsTopic;
  private transient Collector<SinkRecord> out;
  private transient long errors;

  public AlertStage(StageSettings settings) {
    this.settings = settings;
  }

  @Override
  public void open(OpenContext openContext) {
    AvroTrust.install();
    alertSerde = AvroSerde.alert();
    alertsTopic = settings.topics().alerts();
    ecsTopic = settings.topics().alertsEcs();
    clock = EventClock.of(settings.detection());
    ticks = settings.ticks();
    aggregates =
        new MapStateStore<>(
            getRuntimeContext()
                .getMapState(
                    new MapStateDescriptor<>(
                        "aggregates",
                        StringSerializer.INSTANCE,
                        StateCodec.AGGREGATE.<Aggregate>serializer())));
    core = new AlertAggregator(settings.detection(), aggregates, this::emit);
  }

  private void emit(Alert a) {
    long ts = FlowStage.ms(a.getLastSeen());
    out.collect(new SinkRecord(alertsTopic, a.getId(), alertSerde.encode(a), ts));
    out.collect(
        new SinkRecord(
            ecsTopic, a.getId(), EcsAlertJson.toJson(a).getBytes(StandardCharsets.UTF_8), ts));
  }

  @Override
  public void processElement(FindingIn in, Context ctx, Collector<SinkRecord> collector) {
    out = collector;
    try {
      Finding f = Codecs.finding().decode(in.finding);
      clock.observe(
          f.alert().getLastSeen(), Ticks.nanos(ctx.timerService().currentProcessingTime()));
      core.onFinding(f);
      long watermark = ctx.timerService().currentWatermark();
      wakeLater(
          ctx.timerService(),
          watermark == Long.MIN_VALUE ? FlowStage.ms(f.alert().getLastSeen()) : watermark);
    } catch (RuntimeException e) {
      errors++;
      if (errors <= 10 || Long.bitCount(errors) == 1) {
        LOG.warn("skipping finding that failed aggregation (#{}): {}", errors, e, e);
      }
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<SinkRecord> collector) {
    out = collector;
    TimerService timers = ctx.timerService();
    if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
      core.advanceTo(Ticks.nanos(timers.currentWatermark()));
      if (!aggregates.isEmpty()) {
        timers.registerEventTimeTimer(
            ticks.ceil(Math.max(timestamp, timers.currentWatermark()) + 1));
      }
    } else {
      // the watermark is stage 2's time while findings arrive (the largest stamp seen is that of
      // whichever stage-1 subtask ran ahead); the wall clock only once they went silent
      long now = clock.extrapolated(Ticks.nanos(timers.currentProcessingTime()));
      if (now != Long.MIN_VALUE) {
        core.advanceTo(now);
      }
      if (!aggregates.isEmpty()) {
        timers.registerProcessingTimeTimer(ticks.ceil(timers.currentProcessingTime() + 1));
      }
    }
  }

  /** While the subject holds an aggregate: wakes it at the next tick of event and wall time. */
  private void wakeLater(TimerService timers, long eventMs) {
    if (aggregates.isEmpty()) {
      return;
    }
    timers.registerEventTimeTimer(ticks.ceil(eventMs + 1));
    timers.registerProcessingTimeTimer(ticks.ceil(timers.currentProcessingTime() + 1));
  }
}
