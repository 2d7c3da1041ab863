package io.hoptrace.replay;

import io.hoptrace.embedded.EmbeddedKafka;
import io.hoptrace.pipeline.EmbeddedPipeline;
import io.hoptrace.schema.Topics;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One in-process broker for an IT that runs many short pipelines: each pipeline gets its own topic
 * prefix and job (application id), deleted when it closes, so runs stay apart without a broker
 * start each (the broker's start-up dominated such ITs).
 */
final class SharedBroker implements AutoCloseable {
  private final EmbeddedKafka kafka = EmbeddedPipeline.brokerForJob().start();
  private final AtomicInteger runs = new AtomicInteger();
  private final String name;

  /**
   * @param name prefix of the runs' topic prefixes and job ids
   */
  SharedBroker(String name) {
    this.name = name;
  }

  /** A pipeline builder on this broker, with topics and a job of its own. */
  EmbeddedPipeline.Builder pipeline() {
    int n = runs.incrementAndGet();
    return EmbeddedPipeline.builder()
        .bootstrapServers(kafka.bootstrapServers(), true)
        .topics(Topics.withPrefix(name + n + "."))
        .applicationId("hoptrace-" + name + "-" + n);
  }

  @Override
  public void close() {
    kafka.close();
  }
}
