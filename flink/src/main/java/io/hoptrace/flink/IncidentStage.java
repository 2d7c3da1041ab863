package io.hoptrace.flink;

import io.hoptrace.detect.IncidentAggregator;
import io.hoptrace.flink.state.MapStateStore;
import io.hoptrace.flink.state.StateCodec;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AvroSerde;
import io.hoptrace.schema.AvroTrust;
import io.hoptrace.schema.Incident;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Stage 3: the core's {@link IncidentAggregator} over the alert records of stage 2, keyed by
 * incident id, its incident in keyed state; writes {@code incidents} (Avro, keyed by incident id)
 * as the Kafka Streams job does.
 */
public final class IncidentStage extends KeyedProcessFunction<String, SinkRecord, SinkRecord> {
  private final StageSettings settings;

  private transient IncidentAggregator core;
  private transient AvroSerde<Alert> alertSerde;
  private transient AvroSerde<Incident> incidentSerde;
  private transient String incidentsTopic;
  private transient Collector<SinkRecord> out;
  private transient MapStateStore<String, Incident> store;

  public IncidentStage(StageSettings settings) {
    this.settings = settings;
  }

  /** Stage 2's alert records (not their ECS copies), by the incident each names. */
  static final class ByIncident implements KeySelector<SinkRecord, String> {
    private transient AvroSerde<Alert> serde;

    @Override
    public String getKey(SinkRecord r) {
      if (serde == null) {
        AvroTrust.install();
        serde = AvroSerde.alert();
      }
      String id = serde.decode(r.value).getIncidentId();
      return id == null ? r.key : id;
    }
  }

  @Override
  public void open(OpenContext openContext) {
    AvroTrust.install();
    alertSerde = AvroSerde.alert();
    incidentSerde = AvroSerde.incident();
    incidentsTopic = settings.topics().incidents();
    store =
        new MapStateStore<>(
            getRuntimeContext()
                .getMapState(
                    new MapStateDescriptor<>(
                        "incidents",
                        StringSerializer.INSTANCE,
                        StateCodec.INCIDENT.<Incident>serializer())));
    core =
        new IncidentAggregator(
            settings.detection(),
            store,
            i ->
                out.collect(
                    new SinkRecord(
                        incidentsTopic,
                        i.getId(),
                        incidentSerde.encode(i),
                        FlowStage.ms(i.getLastSeen()))));
  }

  @Override
  public void processElement(SinkRecord r, Context ctx, Collector<SinkRecord> collector) {
    out = collector;
    core.onAlert(alertSerde.decode(r.value));
    Incident kept = store.get(ctx.getCurrentKey());
    long until = kept == null ? -1 : core.removableAfter(kept);
    if (until >= 0) {
      // resolved: removed once the watermark passes its linger and the time a late alert of it
      // may take (memory only, see IncidentAggregator)
      ctx.timerService().registerEventTimeTimer(until / 1_000_000L + 1);
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<SinkRecord> collector) {
    out = collector;
    core.expire(ctx.getCurrentKey(), timestamp * 1_000_000L);
  }
}
