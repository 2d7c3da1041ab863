package io.hoptrace.publish;

import io.hoptrace.capture.CaptureFileReader;
import io.hoptrace.capture.HopContext;
import io.hoptrace.capture.LiveCapture;
import io.hoptrace.capture.LiveStats;
import io.hoptrace.capture.PacketHandler;
import io.hoptrace.decode.DecodeCounters;
import io.hoptrace.decode.DecodeStatus;
import io.hoptrace.decode.DecoderConfig;
import io.hoptrace.decode.PacketSummarizer;
import io.hoptrace.metrics.SensorMetrics;
import io.hoptrace.schema.PacketSummary;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.agrona.DirectBuffer;

/**
 * Capture → decode → publish. Each capture thread gets its own {@link Handler} (a decoder is
 * single-threaded); all share one {@link SummaryPublisher} and one {@link SensorMetrics}. Every
 * captured packet becomes one summary on the packets topic, whatever its decode status, keyed by
 * {@link SummaryMapper#partitionKey} (an ICMP error by the flow it quotes).
 *
 * <pre>{@code
 * SensorPipeline pipeline = new SensorPipeline(DecoderConfig.defaults(), publisher, metrics);
 * try (LiveCapture capture = builder.start(hop -> pipeline.newHandler())) {
 *   pipeline.bindCaptureDrops(capture);
 *   ...
 * }
 * // or, for a file:
 * pipeline.replay(CaptureFileReader.open(file, hop));
 * }</pre>
 */
public final class SensorPipeline {

  private final DecoderConfig decoderConfig;
  private final SummaryPublisher publisher;
  private final SensorMetrics metrics;

  /** Every handler's counters; the decode-status meters sum over them. */
  private final List<DecodeCounters> handlerCounters = new CopyOnWriteArrayList<>();

  public SensorPipeline(
      DecoderConfig decoderConfig, SummaryPublisher publisher, SensorMetrics metrics) {
    this.decoderConfig = Objects.requireNonNull(decoderConfig, "decoderConfig");
    this.publisher = Objects.requireNonNull(publisher, "publisher");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    // Bound once: a meter id registers once, so per-handler bindings would export one thread only.
    for (DecodeStatus status : DecodeStatus.values()) {
      metrics.bindDecodeStatus(status.name(), () -> decodeCount(status));
    }
  }

  /** A handler for one capture thread, its decode statuses reported through the metrics. */
  public Handler newHandler() {
    Handler handler = new Handler(new PacketSummarizer(decoderConfig));
    handlerCounters.add(handler.counters());
    return handler;
  }

  /** Packets decoded with {@code status} by every handler of this pipeline. */
  public long decodeCount(DecodeStatus status) {
    long n = 0;
    for (DecodeCounters c : handlerCounters) {
      n += c.count(status);
    }
    return n;
  }

  /**
   * Reads the whole file through a new handler and flushes the publisher.
   *
   * @return the packets read
   */
  public long replay(CaptureFileReader reader) {
    long packets = reader.read(newHandler());
    publisher.flush();
    return packets;
  }

  /** Reports each live source's kernel drop counter ({@code ps_drop}) per hop. */
  public void bindCaptureDrops(LiveCapture capture) {
    List<HopContext> hops = capture.hops();
    for (int i = 0; i < hops.size(); i++) {
      int index = i;
      metrics.bindCaptureDrops(
          hops.get(i).id(),
          () -> {
            LiveStats s = capture.stats().get(index);
            return Math.max(0, s.dropped());
          });
    }
  }

  public SummaryPublisher publisher() {
    return publisher;
  }

  public SensorMetrics metrics() {
    return metrics;
  }

  /** Decodes and publishes the packets of one capture thread. Not thread-safe. */
  public final class Handler implements PacketHandler {
    private final PacketSummarizer summarizer;

    private Handler(PacketSummarizer summarizer) {
      this.summarizer = summarizer;
    }

    @Override
    public void onPacket(
        HopContext hop,
        int linkType,
        DirectBuffer buffer,
        int offset,
        int capturedLength,
        int wireLength,
        long tsNanos) {
      metrics.captured(1);
      PacketSummary summary =
          summarizer.summarize(hop, linkType, buffer, offset, capturedLength, wireLength, tsNanos);
      metrics.decoded();
      publisher.publish(summarizer.key(), summary);
    }

    /** This handler's decode statuses (single writer: its capture thread). */
    public DecodeCounters counters() {
      return summarizer.counters();
    }
  }
}
