package io.hoptrace.inventory;

import io.hoptrace.schema.NodeInventory;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the inventory every interval and tells the listener when it changed (the timestamp does
 * not count as a change); the first successful poll always counts. A failed poll is counted and
 * logged, the last inventory stays. The listener runs on the scheduler's thread.
 */
public final class InventoryWatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(InventoryWatcher.class);

  /** Default poll interval. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

  /** Runs a task repeatedly; returns a handle that stops it. */
  @FunctionalInterface
  public interface Scheduler {
    AutoCloseable scheduleRepeatedly(Runnable task, Duration interval);
  }

  private final InventorySource source;
  private final Consumer<NodeInventory> listener;
  private final Duration interval;
  private final Scheduler scheduler;
  private AutoCloseable scheduled;
  private NodeInventory last;
  private volatile long polls;
  private volatile long failures;
  private volatile long changes;
  private volatile String lastError;

  /**
   * @param interval at least 100 ms; {@link #DEFAULT_INTERVAL} normally
   * @param scheduler runs the polls (see {@link #daemonScheduler()})
   */
  public InventoryWatcher(
      InventorySource source,
      Consumer<NodeInventory> listener,
      Duration interval,
      Scheduler scheduler) {
    this.source = Objects.requireNonNull(source, "source");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.interval = Objects.requireNonNull(interval, "interval");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    if (interval.toMillis() < 100) {
      throw new IllegalArgumentException("interval must be at least 100 ms: " + interval);
    }
  }

  /** A scheduler on one daemon thread, first run at once, then every interval. */
  public static Scheduler daemonScheduler() {
    return (task, interval) -> {
      ScheduledExecutorService ex =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "hoptrace-inventory");
                t.setDaemon(true);
                return t;
              });
      ScheduledFuture<?> f =
          ex.scheduleWithFixedDelay(task, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
      return () -> {
        f.cancel(false);
        ex.shutdown();
      };
    };
  }

  /** Starts polling (first poll at once with the daemon scheduler). */
  public synchronized InventoryWatcher start() {
    if (scheduled == null) {
      scheduled = scheduler.scheduleRepeatedly(this::pollOnce, interval);
    }
    return this;
  }

  /** Polls now; returns true if the listener was told of a change. */
  public boolean pollOnce() {
    NodeInventory now;
    try {
      now = source.collect();
    } catch (InventoryException | RuntimeException e) {
      failures++;
      polls++;
      String msg = e.getMessage();
      if (!Objects.equals(msg, lastError)) {
        LOG.warn("inventory not readable: {}", msg);
      }
      lastError = msg;
      return false;
    }
    boolean changed;
    synchronized (this) {
      polls++;
      lastError = null;
      changed = last == null || !sameIgnoringTime(last, now);
      if (changed) {
        last = now;
        changes++;
      }
    }
    if (changed) {
      listener.accept(now);
    }
    return changed;
  }

  static boolean sameIgnoringTime(NodeInventory a, NodeInventory b) {
    for (org.apache.avro.Schema.Field f : NodeInventory.getClassSchema().getFields()) {
      if (!f.name().equals("tsNanos") && !Objects.equals(a.get(f.pos()), b.get(f.pos()))) {
        return false;
      }
    }
    return true;
  }

  /** The last inventory reported to the listener, or null. */
  public synchronized NodeInventory last() {
    return last;
  }

  public long polls() {
    return polls;
  }

  public long failures() {
    return failures;
  }

  public long changes() {
    return changes;
  }

  /** The last poll's error, or null if it succeeded. */
  public String lastError() {
    return lastError;
  }

  @Override
  public synchronized void close() {
    if (scheduled != null) {
      try {
        scheduled.close();
      } catch (Exception e) {
        LOG.debug("stopping the inventory schedule: {}", e.toString());
      }
      scheduled = null;
    }
  }
}
