package io.hoptrace.pipeline;

import io.hoptrace.reduce.RecordSink;
import io.hoptrace.schema.FlowHopCounters;
import io.hoptrace.schema.PacketSummary;

/** A {@link PacketSink} as the reducer's {@link RecordSink}, counting what it sent by kind. */
public final class CountingRecordSink implements RecordSink {
  private final PacketSink sink;
  private long summaries;
  private long counters;

  public CountingRecordSink(PacketSink sink) {
    this.sink = sink;
  }

  @Override
  public void summary(String key, PacketSummary summary) {
    sink.publish(key, summary);
    summaries++;
  }

  @Override
  public void counters(String key, FlowHopCounters c) {
    sink.publishCounters(key, c);
    counters++;
  }

  /** Summaries handed to the sink. */
  public long summaries() {
    return summaries;
  }

  /** Counters records handed to the sink. */
  public long counters() {
    return counters;
  }

  /** Both kinds. */
  public long records() {
    return summaries + counters;
  }
}
