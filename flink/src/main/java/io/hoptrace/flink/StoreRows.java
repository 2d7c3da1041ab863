package io.hoptrace.flink;

import io.hoptrace.history.Dataset;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AvroSerde;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.Incident;
import io.hoptrace.schema.Topics;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * The job's outputs as flow-store rows, as the embedded store writer routes the topics' records: a
 * flows record to {@code flows} (final) or {@code flow_updates} (interim) and to {@code flow_hops};
 * an alerts record to {@code alerts}; an incidents record to {@code incidents}; {@code alerts.ecs}
 * to none. Each row carries its record's first_seen, which picks the hour partition.
 */
final class StoreRows implements FlatMapFunction<SinkRecord, StoreRow> {
  private static final long serialVersionUID = 1L;

  private final String flows;
  private final String alerts;
  private final String incidents;
  private transient AvroSerde<FlowRecord> flowSerde;
  private transient AvroSerde<Alert> alertSerde;
  private transient AvroSerde<Incident> incidentSerde;

  StoreRows(Topics topics) {
    this.flows = topics.flows();
    this.alerts = topics.alerts();
    this.incidents = topics.incidents();
  }

  @Override
  public void flatMap(SinkRecord r, Collector<StoreRow> out) {
    if (flowSerde == null) {
      flowSerde = AvroSerde.flowRecord();
      alertSerde = AvroSerde.alert();
      incidentSerde = AvroSerde.incident();
    }
    if (r.topic.equals(flows)) {
      FlowRecord f = flowSerde.decode(r.topic, r.value);
      Dataset d = f.getFinal$() ? Dataset.FLOWS : Dataset.FLOW_UPDATES;
      out.collect(new StoreRow(d.name(), f.getFirstSeen(), r.value));
      out.collect(new StoreRow(Dataset.FLOW_HOPS.name(), f.getFirstSeen(), r.value));
    } else if (r.topic.equals(alerts)) {
      Alert a = alertSerde.decode(r.topic, r.value);
      out.collect(new StoreRow(Dataset.ALERTS.name(), a.getFirstSeen(), r.value));
    } else if (r.topic.equals(incidents)) {
      Incident i = incidentSerde.decode(r.topic, r.value);
      out.collect(new StoreRow(Dataset.INCIDENTS.name(), i.getFirstSeen(), r.value));
    }
  }
}
