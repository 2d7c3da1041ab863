package io.hoptrace.streams;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Undecodable records are logged (rate-limited), counted per topic and per topic and reason ({@code
 * unknown-schema}: a writer fingerprint no shipped schema has; {@code undecodable}: anything else),
 * and skipped.
 */
public final class LogAndCountDeserializationHandler implements DeserializationExceptionHandler {
  private static final Logger LOG =
      LoggerFactory.getLogger(LogAndCountDeserializationHandler.class);
  private static final Map<String, AtomicLong> SKIPPED = new ConcurrentHashMap<>();
  private static final Map<String, AtomicLong> BY_REASON = new ConcurrentHashMap<>();

  /** Records skipped so far in this JVM, by {@code "<topic> <reason>"}. */
  public static Map<String, Long> skippedByReason() {
    Map<String, Long> out = new java.util.TreeMap<>();
    BY_REASON.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /** The reason a record could not be decoded, as counted. */
  static String reason(Exception e) {
    return e instanceof io.hoptrace.schema.UnknownSchemaException
        ? "unknown-schema"
        : "undecodable";
  }

  /** Records skipped so far in this JVM, by topic. */
  public static Map<String, Long> skipped() {
    Map<String, Long> out = new java.util.TreeMap<>();
    SKIPPED.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    long n = SKIPPED.computeIfAbsent(record.topic(), t -> new AtomicLong()).incrementAndGet();
    BY_REASON
        .computeIfAbsent(record.topic() + " " + reason(exception), t -> new AtomicLong())
        .incrementAndGet();
    if (n <= 10 || Long.bitCount(n) == 1) {
      LOG.warn(
          "skipping undecodable record #{} of {} (partition {}, offset {}): {}",
          n,
          record.topic(),
          record.partition(),
          record.offset(),
          exception.toString());
    }
    return Response.resume();
  }

  @Override
  public void configure(Map<String, ?> configs) {}
}
