package io.hoptrace.notify;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers items to one endpoint on a thread of its own, in order, never blocking the caller: a
 * failed attempt is retried with exponential back-off (the same item, so order is kept); a full
 * queue drops its oldest item (counted and logged, never silently); an item the endpoint rejects
 * for good ({@link Rejected}) is dropped and counted.
 *
 * @param <T> what is delivered
 */
final class Delivery<T> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);

  /** One attempt to deliver an item; throws to have it retried. */
  @FunctionalInterface
  interface Attempt<T> {
    void deliver(T item) throws Exception;
  }

  /** The endpoint refused the item for good (e.g. HTTP 400): retrying cannot help. */
  static final class Rejected extends Exception {
    Rejected(String message) {
      super(message);
    }
  }

  private final String endpoint;
  private final int capacity;
  private final long firstBackoffNs;
  private final long maxBackoffNs;
  private final Attempt<T> attempt;
  private final Deque<T> queue = new ArrayDeque<>();
  private final Thread thread;
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private boolean inFlight;
  private boolean closed;

  Delivery(
      String endpoint,
      int capacity,
      Duration firstBackoff,
      Duration maxBackoff,
      Attempt<T> attempt) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1");
    }
    this.endpoint = endpoint;
    this.capacity = capacity;
    this.firstBackoffNs = firstBackoff.toNanos();
    this.maxBackoffNs = Math.max(firstBackoffNs, maxBackoff.toNanos());
    this.attempt = attempt;
    this.thread = new Thread(this::run, "hoptrace-notify " + endpoint);
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues an item; returns at once. False when closed. */
  boolean offer(T item) {
    synchronized (queue) {
      if (closed) {
        return false;
      }
      if (queue.size() >= capacity) {
        queue.pollFirst();
        long n = dropped.incrementAndGet();
        if (n <= 10 || Long.bitCount(n) == 1) {
          LOG.warn(
              "{}: queue full ({} items), dropped the oldest (#{} dropped)", endpoint, capacity, n);
        }
      }
      queue.addLast(item);
      queue.notifyAll();
      return true;
    }
  }

  /**
   * Waits until everything queued so far is delivered (or dropped/rejected).
   *
   * @return false if the timeout passed first
   */
  boolean flush(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    synchronized (queue) {
      while (!queue.isEmpty() || inFlight) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        queue.wait(Math.max(1, left / 1_000_000L));
      }
      return true;
    }
  }

  long delivered() {
    return delivered.get();
  }

  long dropped() {
    return dropped.get();
  }

  long rejected() {
    return rejected.get();
  }

  /** Failed attempts (each retried). */
  long failures() {
    return failures.get();
  }

  /** The counts as a sink reports them. */
  AlertSink.Stats stats() {
    return new AlertSink.Stats(delivered(), dropped(), rejected(), failures());
  }

  /** Items still queued or in flight. */
  int pending() {
    synchronized (queue) {
      return queue.size() + (inFlight ? 1 : 0);
    }
  }

  private void run() {
    while (true) {
      T item;
      synchronized (queue) {
        while (queue.isEmpty() && !closed) {
          try {
            queue.wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (queue.isEmpty()) {
          return;
        }
        item = queue.pollFirst();
        inFlight = true;
      }
      try {
        deliverWithRetries(item);
      } catch (InterruptedException e) {
        return;
      } finally {
        synchronized (queue) {
          inFlight = false;
          queue.notifyAll();
        }
      }
    }
  }

  private void deliverWithRetries(T item) throws InterruptedException {
    long backoff = firstBackoffNs;
    while (true) {
      try {
        attempt.deliver(item);
        delivered.incrementAndGet();
        return;
      } catch (Rejected e) {
        rejected.incrementAndGet();
        LOG.warn("{}: rejected, not retried: {}", endpoint, e.getMessage());
        return;
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        long n = failures.incrementAndGet();
        if (n <= 10 || Long.bitCount(n) == 1) {
          LOG.warn(
              "{}: delivery failed (#{}), retrying in {} ms: {}",
              endpoint,
              n,
              backoff / 1_000_000L,
              e.toString());
        }
        long until = System.nanoTime() + backoff;
        synchronized (queue) {
          long left;
          while (!closed && (left = until - System.nanoTime()) > 0) {
            queue.wait(Math.max(1, left / 1_000_000L));
          }
          if (closed) {
            // close() already waited for the queue to drain: give up on this item
            dropped.incrementAndGet();
            return;
          }
        }
        backoff = Math.min(maxBackoffNs, backoff * 2);
      }
    }
  }

  /**
   * Stops taking items, waits up to {@code timeout} for the queue to drain, then stops the thread;
   * what is left undelivered is logged.
   */
  void close(Duration timeout) {
    try {
      flush(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int left;
    synchronized (queue) {
      closed = true;
      left = queue.size() + (inFlight ? 1 : 0);
      queue.notifyAll();
    }
    if (left > 0) {
      LOG.warn("{}: {} item(s) not delivered at close", endpoint, left);
      thread.interrupt();
    }
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }
}
