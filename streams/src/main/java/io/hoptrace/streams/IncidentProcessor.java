package io.hoptrace.streams;

import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.detect.IncidentAggregator;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.Incident;
import java.time.Duration;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Stage 3: hosts {@link IncidentAggregator} over the task's incident store, alerts keyed by
 * incident; resolved incidents past their linger are removed every 10 s of stream time.
 */
final class IncidentProcessor implements Processor<String, Alert, String, Incident> {
  private final DetectionConfig cfg;
  private IncidentAggregator core;

  IncidentProcessor(DetectionConfig cfg) {
    this.cfg = cfg;
  }

  @Override
  public void init(ProcessorContext<String, Incident> context) {
    core =
        new IncidentAggregator(
            cfg,
            context.getStateStore(DetectionTopology.INCIDENTS_STORE),
            i ->
                context.forward(
                    new Record<>(i.getId(), i, FlowDetectorProcessor.ms(i.getLastSeen()))));
    context.schedule(
        Duration.ofSeconds(10), PunctuationType.STREAM_TIME, ms -> core.expireAll(ms * 1_000_000L));
  }

  @Override
  public void process(Record<String, Alert> record) {
    if (record.value() != null) {
      core.onAlert(record.value());
    }
  }
}
