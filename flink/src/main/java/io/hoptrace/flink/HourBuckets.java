package io.hoptrace.flink;

import io.hoptrace.history.Dataset;
import java.time.LocalDate;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;

/**
 * The flow store's partition of a row, as the embedded writer places it ({@link
 * io.hoptrace.history.StoreLayout#partition}): {@code <dataset>/date=YYYY-MM-DD/hour=HH} by the UTC
 * hour of the record's own first_seen (event time, not the time it is written: every version of a
 * conversation or alert lands in one partition).
 */
final class HourBuckets implements BucketAssigner<StoreRow, String> {
  private static final long serialVersionUID = 1L;
  private static final long NANOS_PER_HOUR = 3_600_000_000_000L;

  @Override
  public String getBucketId(StoreRow row, Context context) {
    return bucket(Dataset.valueOf(row.dataset), row.firstSeen);
  }

  /** The bucket (directory under the store) of a row of {@code d} that started at {@code nanos}. */
  static String bucket(Dataset d, long nanos) {
    long hour = Math.floorDiv(nanos, NANOS_PER_HOUR);
    return d.dir()
        + "/date="
        + LocalDate.ofEpochDay(Math.floorDiv(hour, 24))
        + String.format("/hour=%02d", Math.floorMod(hour, 24));
  }

  @Override
  public SimpleVersionedSerializer<String> getSerializer() {
    return SimpleVersionedStringSerializer.INSTANCE;
  }
}
