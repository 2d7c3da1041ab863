package io.hoptrace.publish;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logs failures at most once per interval: the first at once, later ones as a count with the last
 * error. Called from the publishing thread and the producer's I/O thread.
 */
final class FailureLog {

  private final Logger log;
  private final String what;
  private final long intervalNanos;
  private final LongSupplier nanoClock;
  private final AtomicLong sinceLastLine = new AtomicLong();
  private final AtomicLong lastLineAt;

  FailureLog(Logger log, String what, long intervalMillis, LongSupplier nanoClock) {
    this.log = log;
    this.what = what;
    this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
    this.nanoClock = nanoClock;
    this.lastLineAt = new AtomicLong(nanoClock.getAsLong() - intervalNanos - 1);
  }

  void failed(long count, Throwable error) {
    sinceLastLine.addAndGet(count);
    long now = nanoClock.getAsLong();
    long last = lastLineAt.get();
    if (now - last > intervalNanos && lastLineAt.compareAndSet(last, now)) {
      long n = sinceLastLine.getAndSet(0);
      log.warn(
          "{} {} failed{}: {}",
          n,
          what,
          n == count ? "" : " in the last " + TimeUnit.NANOSECONDS.toSeconds(now - last) + " s",
          describe(error));
    }
  }

  private static String describe(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause == error ? error.toString() : error + " (cause: " + cause + ")";
  }
}
