package io.hoptrace.streams;

import io.hoptrace.detect.AlertAggregator;
import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.detect.EventClock;
import io.hoptrace.detect.Finding;
import io.hoptrace.schema.Alert;
import java.time.Duration;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Stage 2: hosts {@link AlertAggregator} over the task's aggregate store. */
final class AlertAggregatorProcessor implements Processor<String, Finding, String, Alert> {
  private static final Logger LOG = LoggerFactory.getLogger(AlertAggregatorProcessor.class);

  private final DetectionConfig cfg;
  private final Duration interval;
  private final EventClock clock = new EventClock();
  private ProcessorContext<String, Alert> ctx;
  private AlertAggregator core;
  private long errors;

  AlertAggregatorProcessor(DetectionConfig cfg, Duration interval) {
    this.cfg = cfg;
    this.interval = interval;
  }

  @Override
  public void init(ProcessorContext<String, Alert> context) {
    this.ctx = context;
    core =
        new AlertAggregator(
            cfg,
            context.getStateStore(DetectionTopology.AGGREGATES_STORE),
            a ->
                ctx.forward(new Record<>(a.getId(), a, FlowDetectorProcessor.ms(a.getLastSeen()))));
    context.schedule(
        interval,
        PunctuationType.WALL_CLOCK_TIME,
        wallMs -> {
          long now = clock.now(wallMs * 1_000_000L);
          if (now != Long.MIN_VALUE) {
            core.advanceTo(now);
          }
        });
    context.schedule(interval, PunctuationType.STREAM_TIME, ts -> core.advanceTo(ts * 1_000_000L));
  }

  @Override
  public void process(Record<String, Finding> record) {
    if (DetectionTopology.FLUSH_KEY.equals(record.key())) {
      core.endOfInput();
      return;
    }
    Finding f = record.value();
    if (f == null) {
      return;
    }
    clock.observe(f.alert().getLastSeen(), ctx.currentSystemTimeMs() * 1_000_000L);
    try {
      core.onFinding(f);
    } catch (RuntimeException e) {
      errors++;
      if (errors <= 10 || Long.bitCount(errors) == 1) {
        LOG.warn("skipping finding that failed aggregation (#{}): {}", errors, e.toString(), e);
      }
    }
  }
}
