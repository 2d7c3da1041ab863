package io.hoptrace.streams;

import io.hoptrace.schema.KernelDrop;
import io.hoptrace.schema.PacketsRecordCodec;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time of a packets record (ms): a summary's capture timestamp, a counters record's last
 * capture time ({@link PacketsRecordCodec#eventTimeNanos}); of a kernel drop record: the end of its
 * interval; else the record timestamp.
 */
public final class PacketTimestampExtractor implements TimestampExtractor {
  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    if (record.value() instanceof SpecificRecord r) {
      long ts = PacketsRecordCodec.eventTimeNanos(r);
      if (ts > 0) {
        return ts / 1_000_000L;
      }
    }
    if (record.value() instanceof KernelDrop k && k.getIntervalEndNanos() > 0) {
      return k.getIntervalEndNanos() / 1_000_000L;
    }
    long ts = record.timestamp();
    return ts >= 0 ? ts : Math.max(0, partitionTime);
  }
}
