package io.hoptrace.notify;

import io.hoptrace.schema.Alert;
import java.time.Duration;

/**
 * Somewhere alert records go besides Kafka (Alertmanager, a SIEM over syslog). {@link #accept}
 * never blocks detection: a sink queues and delivers on a thread of its own, retrying with back-off
 * while its endpoint is down.
 */
public interface AlertSink extends AutoCloseable {
  /** Takes one alert record (FIRING, an update, or RESOLVED), in the order the job wrote them. */
  void accept(Alert alert);

  /**
   * An alert still firing when the command (re)started, known from the alerts topic: sinks that
   * hold state (Alertmanager forgets alerts not posted again) take it as if it came now; sinks that
   * got it before (syslog) ignore it.
   */
  default void restore(Alert firing) {}

  /**
   * Waits until everything accepted so far is delivered (or counted as dropped/rejected).
   *
   * @return false if {@code timeout} passed first
   */
  boolean flush(Duration timeout) throws InterruptedException;

  /** Where it delivers, for messages: {@code Alertmanager http://127.0.0.1:9093}. */
  String describe();

  /** Deliveries (POSTs, syslog messages), drops, rejections and failed attempts so far. */
  Stats stats();

  /**
   * Flushes (a few seconds at most) and releases the connection; undelivered records are logged.
   */
  @Override
  void close();

  /** Counts of a sink. */
  record Stats(long delivered, long dropped, long rejected, long failedAttempts) {}
}
