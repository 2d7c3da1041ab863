package io.hoptrace.discovery;

import io.hoptrace.inventory.InventoryException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one capture per discovered hop as hops come and go: {@link #refresh()} discovers the hops
 * again, opens a capture for each new one and closes the capture of each hop gone (a hop is the
 * same when its id and namespace are). A hop whose capture cannot be opened is counted and tried
 * again at the next refresh. {@link #start} refreshes on a fixed period.
 *
 * <p>Metrics: {@value #HOPS_EVENTS} (counter, tag {@code event}: started, stopped, failed) and
 * {@value #HOPS_ACTIVE} (gauge: hops being captured).
 *
 * @param <C> the capture of one hop (a {@code LiveCapture} in the sensor)
 */
public final class AutoCapture<C extends AutoCloseable> implements AutoCloseable {
  public static final String HOPS_EVENTS = "hoptrace.sensor.auto.hops";
  public static final String HOPS_ACTIVE = "hoptrace.sensor.auto.hops.active";

  private static final Logger LOG = LoggerFactory.getLogger(AutoCapture.class);

  /** What finds the hops ({@link HopDiscovery#discover}). */
  @FunctionalInterface
  public interface HopSource {
    List<DiscoveredHop> discover() throws InventoryException;
  }

  /** Opens the capture of one hop. */
  @FunctionalInterface
  public interface Opener<C> {
    C open(DiscoveredHop hop) throws Exception;
  }

  private final HopSource source;
  private final Opener<C> opener;
  private final Map<DiscoveredHop, C> active = new LinkedHashMap<>();
  private final Counter started;
  private final Counter stopped;
  private final Counter failed;
  private ScheduledFuture<?> task;
  private boolean closed;

  public AutoCapture(HopSource source, Opener<C> opener, MeterRegistry registry) {
    this.source = Objects.requireNonNull(source, "source");
    this.opener = Objects.requireNonNull(opener, "opener");
    this.started = event(registry, "started");
    this.stopped = event(registry, "stopped");
    this.failed = event(registry, "failed");
    Gauge.builder(HOPS_ACTIVE, this, a -> a.captures().size())
        .description("Hops captured by sensor --auto")
        .strongReference(true)
        .register(registry);
  }

  private static Counter event(MeterRegistry registry, String event) {
    return Counter.builder(HOPS_EVENTS)
        .description("Hop captures started, stopped or failed to open by sensor --auto")
        .tag("event", event)
        .register(registry);
  }

  /**
   * Discovers the hops and brings the captures in line.
   *
   * @throws InventoryException when the node's namespace cannot be read (the captures are kept)
   */
  public synchronized void refresh() throws InventoryException {
    if (closed) {
      return;
    }
    List<DiscoveredHop> now = source.discover();
    Set<DiscoveredHop> wanted = new HashSet<>(now);
    for (DiscoveredHop gone : new ArrayList<>(active.keySet())) {
      if (!wanted.contains(gone)) {
        closeQuietly(gone, active.remove(gone));
        stopped.increment();
        LOG.info("stopped capturing {} (gone)", gone.id());
      }
    }
    for (DiscoveredHop h : now) {
      if (!active.containsKey(h)) {
        try {
          active.put(h, Objects.requireNonNull(opener.open(h), "capture of " + h.id()));
          started.increment();
          LOG.info("capturing {}", h.id());
        } catch (Exception e) {
          failed.increment();
          LOG.warn("cannot capture {} (next try at the next refresh): {}", h.id(), e.getMessage());
        }
      }
    }
  }

  /** Refreshes every {@code periodMillis} on {@code scheduler}; failures are logged, not fatal. */
  public synchronized void start(ScheduledExecutorService scheduler, long periodMillis) {
    task =
        scheduler.scheduleWithFixedDelay(
            () -> {
              try {
                refresh();
              } catch (InventoryException | RuntimeException e) {
                LOG.warn("hop discovery failed (captures kept): {}", e.getMessage());
              }
            },
            periodMillis,
            periodMillis,
            TimeUnit.MILLISECONDS);
  }

  /** The captures running now, in the order their hops were found. */
  public synchronized List<C> captures() {
    return List.copyOf(active.values());
  }

  /** The capture of a hop id, if running. */
  public synchronized Optional<C> capture(String hopId) {
    return active.entrySet().stream()
        .filter(e -> e.getKey().id().equals(hopId))
        .map(Map.Entry::getValue)
        .findFirst();
  }

  /** Stops refreshing and closes every capture. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (task != null) {
      task.cancel(false);
    }
    active.forEach(this::closeQuietly);
    active.clear();
  }

  private void closeQuietly(DiscoveredHop h, C c) {
    try {
      c.close();
    } catch (Exception e) {
      LOG.warn("closing the capture of {} failed: {}", h.id(), e.toString());
    }
  }
}
