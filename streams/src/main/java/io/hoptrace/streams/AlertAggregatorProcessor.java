package io.hoptrace.streams;

import io.hoptrace.detect.AlertAggregator;
import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.detect.Finding;
import io.hoptrace.detect.FindingOrder;
import io.hoptrace.schema.Alert;
import java.time.Duration;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage 2: hosts {@link AlertAggregator} over the task's aggregate store, fed in event-time order
 * by a {@link FindingOrder} from the findings and the progress and end-of-input markers of every
 * stage-1 task.
 */
final class AlertAggregatorProcessor implements Processor<String, Finding, String, Alert> {
  private static final Logger LOG = LoggerFactory.getLogger(AlertAggregatorProcessor.class);

  private final DetectionConfig cfg;
  private final Duration interval;
  private ProcessorContext<String, Alert> ctx;
  private FindingOrder order;
  private long errors;

  AlertAggregatorProcessor(DetectionConfig cfg, Duration interval) {
    this.cfg = cfg;
    this.interval = interval;
  }

  @Override
  public void init(ProcessorContext<String, Alert> context) {
    this.ctx = context;
    AlertAggregator core =
        new AlertAggregator(
            cfg,
            context.getStateStore(DetectionTopology.AGGREGATES_STORE),
            a ->
                ctx.forward(new Record<>(a.getId(), a, FlowDetectorProcessor.ms(a.getLastSeen()))));
    order =
        new FindingOrder(
            upstreams(context),
            DetectionTopology.IDLE_UPSTREAM.toNanos(),
            context.getStateStore(DetectionTopology.PENDING_FINDINGS_STORE),
            context.getStateStore(DetectionTopology.UPSTREAM_PROGRESS_STORE),
            core);
    context.schedule(
        interval,
        PunctuationType.WALL_CLOCK_TIME,
        wallMs -> order.onWallClock(wallMs * 1_000_000L));
  }

  /** The number of stage-1 tasks ({@link DetectionTopology#PACKETS_PARTITIONS_CONFIG}). */
  private static int upstreams(ProcessorContext<?, ?> context) {
    Object n = context.appConfigs().get(DetectionTopology.PACKETS_PARTITIONS_CONFIG);
    return n == null ? 1 : Integer.parseInt(n.toString());
  }

  @Override
  public void process(Record<String, Finding> record) {
    Finding f = record.value();
    if (f == null) {
      return;
    }
    long wall = ctx.currentSystemTimeMs() * 1_000_000L;
    try {
      if (DetectionTopology.FLUSH_KEY.equals(record.key())) {
        order.onEndOfInput(upstream(f), wall);
      } else if (DetectionTopology.PROGRESS_KEY.equals(record.key())) {
        order.onProgress(upstream(f), f.asOf(), wall);
      } else {
        order.onFinding(f);
      }
    } catch (RuntimeException e) {
      errors++;
      if (errors <= 10 || Long.bitCount(errors) == 1) {
        LOG.warn("skipping finding that failed aggregation (#{}): {}", errors, e.toString(), e);
      }
    }
  }

  /** The stage-1 task (packets partition) a marker comes from (0 for markers that do not say). */
  private static int upstream(Finding marker) {
    try {
      return Integer.parseInt(marker.member());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
