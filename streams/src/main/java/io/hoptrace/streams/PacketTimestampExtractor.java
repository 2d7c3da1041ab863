package io.hoptrace.streams;

import io.hoptrace.schema.KernelDrop;
import io.hoptrace.schema.PacketSummary;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time of a packet record: its capture timestamp (ms); of a kernel drop record: the end of
 * its interval; else the record timestamp.
 */
public final class PacketTimestampExtractor implements TimestampExtractor {
  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    if (record.value() instanceof PacketSummary p && p.getTsNanos() > 0) {
      return p.getTsNanos() / 1_000_000L;
    }
    if (record.value() instanceof KernelDrop k && k.getIntervalEndNanos() > 0) {
      return k.getIntervalEndNanos() / 1_000_000L;
    }
    long ts = record.timestamp();
    return ts >= 0 ? ts : Math.max(0, partitionTime);
  }
}
