package io.hoptrace.reduce;

import io.hoptrace.schema.FlowHopCounters;
import io.hoptrace.schema.PacketSummary;

/** Where packets-topic records go, each with its partition key (a publisher, a replay's sink). */
public interface RecordSink {
  /** One packet summary under {@code key} (null for non-IP packets). */
  void summary(String key, PacketSummary summary);

  /** One counters record under {@code key}: the key its flow's summaries are published under. */
  void counters(String key, FlowHopCounters counters);
}
