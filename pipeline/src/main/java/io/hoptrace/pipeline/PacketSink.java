package io.hoptrace.pipeline;

import io.hoptrace.schema.FlowHopCounters;
import io.hoptrace.schema.PacketSummary;

/**
 * Where a replay sends packet summaries (and, in reduced mode, counters): the input of a {@link
 * DetectionHost}. Sends may be asynchronous; {@link #flush()} waits for them, and {@link #failed()}
 * counts those that were lost (a replay checks it after the flush and fails when it is not 0). Not
 * thread-safe.
 */
public interface PacketSink extends AutoCloseable {

  /**
   * Sends one summary.
   *
   * @param key the partition key (the canonical inner flow key; null for non-IP packets)
   */
  void publish(String key, PacketSummary summary);

  /**
   * Sends one counters record of a sensor's reducer (reduced mode), to the same topic.
   *
   * @param key the partition key its flow's summaries are sent under
   */
  void publishCounters(String key, FlowHopCounters counters);

  /** Waits until every summary sent so far is acknowledged or counted as failed. */
  void flush();

  /** Records (summaries and counters) that could not be sent. */
  long failed();

  @Override
  void close();
}
