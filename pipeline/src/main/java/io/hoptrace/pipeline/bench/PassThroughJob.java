package io.hoptrace.pipeline.bench;

import io.hoptrace.pipeline.DetectionJob;
import io.hoptrace.pipeline.EmbeddedPipeline;
import io.hoptrace.pipeline.EndOfInput;
import io.hoptrace.schema.PacketsRecordSerde;
import io.hoptrace.streams.DetectionTopology;
import io.hoptrace.streams.PacketTimestampExtractor;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The reference point of {@code hoptrace bench detect --baseline}: a Kafka Streams job with the
 * detection job's source (packets topic, Avro single-object serde, capture-time extractor) and
 * Streams settings (exactly-once v2, commit interval, one stream thread), whose processor only
 * counts the summaries. What it reaches is the ceiling Kafka Streams and the broker set on the
 * machine; the detection job's figure is read against it.
 */
final class PassThroughJob implements BenchEngine.PassThrough {
  private final EmbeddedPipeline pipeline;
  private final DetectionJob job;
  private final AtomicLong counted = new AtomicLong();

  /** Starts the job on the pipeline's broker (the pipeline's detection job must not run). */
  PassThroughJob(EmbeddedPipeline pipeline) {
    this.pipeline = pipeline;
    StreamsBuilder b = new StreamsBuilder();
    b.stream(
            pipeline.topics().packets(),
            Consumed.with(Serdes.String(), PacketsRecordSerde.get())
                .withTimestampExtractor(new PacketTimestampExtractor()))
        .process(
            () ->
                new Processor<String, SpecificRecord, Void, Void>() {
                  @Override
                  public void process(Record<String, SpecificRecord> r) {
                    if (r.value() != null && !DetectionTopology.FLUSH_KEY.equals(r.key())) {
                      counted.incrementAndGet();
                    }
                  }
                });
    job = new DetectionJob(b.build(), pipeline.streamsConfig());
    try {
      job.start(Duration.ofMinutes(1));
    } catch (RuntimeException e) {
      job.close(Duration.ofSeconds(10));
      throw e;
    }
  }

  @Override
  public void awaitDrained(Duration timeout) {
    EndOfInput.awaitDrained(
        pipeline.admin(),
        pipeline.applicationId(),
        pipeline.topics(),
        timeout,
        Duration.ofMillis(150),
        job::checkHealthy);
  }

  /** Closes the job; returns how many summaries it counted. */
  @Override
  public long close() {
    job.close(Duration.ofSeconds(30));
    job.streams().cleanUp();
    return counted.get();
  }
}
