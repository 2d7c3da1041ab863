package io.hoptrace.streams;

import io.hoptrace.detect.IncidentAggregator;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.Incident;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Stage 3: hosts {@link IncidentAggregator} over the task's incident store, alerts keyed by
 * incident.
 */
final class IncidentProcessor implements Processor<String, Alert, String, Incident> {
  private IncidentAggregator core;

  @Override
  public void init(ProcessorContext<String, Incident> context) {
    core =
        new IncidentAggregator(
            context.getStateStore(DetectionTopology.INCIDENTS_STORE),
            i ->
                context.forward(
                    new Record<>(i.getId(), i, FlowDetectorProcessor.ms(i.getLastSeen()))));
  }

  @Override
  public void process(Record<String, Alert> record) {
    if (record.value() != null) {
      core.onAlert(record.value());
    }
  }
}
