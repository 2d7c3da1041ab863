package io.hoptrace.flink;

import io.hoptrace.schema.UnknownSchemaException;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records of one input ({@code packets}, {@code drops}, {@code nodes}) that a source skips
 * because they cannot be decoded, counted by reason — {@value #UNKNOWN_SCHEMA} (a fingerprint no
 * schema store knows: a newer writer) or {@value #UNDECODABLE} (anything else) — in Flink counters
 * {@value #METRIC} of the groups {@code input=<input>}, {@code reason=<reason>} (labels through
 * Flink's Prometheus reporter), and logged sparsely: the first ten, then at each power of two.
 */
final class SkippedRecords {
  static final String METRIC = "skippedRecords";
  static final String UNKNOWN_SCHEMA = "unknown-schema";
  static final String UNDECODABLE = "undecodable";

  private static final Logger LOG = LoggerFactory.getLogger(SkippedRecords.class);

  private final String input;
  private final Map<String, Counter> byReason;
  private long total;

  SkippedRecords(MetricGroup metrics, String input) {
    this.input = input;
    MetricGroup of = metrics.addGroup("input", input);
    this.byReason =
        Map.of(
            UNKNOWN_SCHEMA, of.addGroup("reason", UNKNOWN_SCHEMA).counter(METRIC),
            UNDECODABLE, of.addGroup("reason", UNDECODABLE).counter(METRIC));
  }

  /** Counts and (sparsely) logs record {@code r}, which failed to decode with {@code e}. */
  void skip(ConsumerRecord<byte[], byte[]> r, RuntimeException e) {
    String reason = e instanceof UnknownSchemaException ? UNKNOWN_SCHEMA : UNDECODABLE;
    byReason.get(reason).inc();
    total++;
    if (total <= 10 || Long.bitCount(total) == 1) {
      LOG.warn(
          "skipping {} {} record (#{} skipped of this input: {} {}, {} {}) at {}-{}@{}: {}",
          reason,
          input,
          total,
          byReason.get(UNKNOWN_SCHEMA).getCount(),
          UNKNOWN_SCHEMA,
          byReason.get(UNDECODABLE).getCount(),
          UNDECODABLE,
          r.topic(),
          r.partition(),
          r.offset(),
          e.toString());
    }
  }
}
