package io.hoptrace.pipeline.metrics;

import io.hoptrace.contract.HopId;
import io.hoptrace.detect.DetectionStats;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.AlertType;
import io.hoptrace.schema.FlowRecord;
import io.hoptrace.schema.LostAt;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Metrics of a detection job, engine-neutral, recorded into a Micrometer registry (Prometheus
 * names: dots become underscores, counters get {@code _total}, base units). From the job's
 * committed output (fed by a {@code read_committed} follower, so exactly-once outputs are counted
 * once):
 *
 * <ul>
 *   <li>{@value #ALERTS} (counter; {@code type}, {@code severity}, {@code status}): alert records;
 *   <li>{@value #FIRING} (gauge; {@code type}): alerts firing now;
 *   <li>{@value #FLOWS} (counter; {@code verdict}): conversations ended (final flow records);
 *   <li>{@value #LOST} (counter; {@code after}, {@code before}): packets lost per hop segment, from
 *       the alerts' lost counts. Hops are labelled {@code node/interface} with pod hops as {@code
 *       node/pod} and veths as {@code node/veth}: the label values grow with nodes, never with
 *       pods;
 * </ul>
 *
 * from the detection cores ({@link DetectionStats}, published by each task every second):
 *
 * <ul>
 *   <li>{@value #SUMMARIES} (counter): packet summaries processed;
 *   <li>{@value #SKIPPED} (counter; {@code reason}): summaries skipped ({@code NOT_IP}, {@code
 *       ICMP_WITHOUT_QUOTE}) or counted once as a duplicate capture ({@code DUPLICATE});
 *   <li>{@value #CONVERSATIONS} (counter), {@value #OPEN} (gauge): conversations started and open;
 *   <li>{@value #LAG} (gauge, seconds): wall clock minus the cores' event time (live input: how far
 *       detection is behind; replays of old captures: their age);
 * </ul>
 *
 * (the JVM's standard metrics: {@code io.hoptrace.metrics.JvmMetrics}).
 */
public final class JobMetrics {
  public static final String ALERTS = "hoptrace.alerts";
  public static final String FIRING = "hoptrace.alerts.firing";
  public static final String FLOWS = "hoptrace.flows";
  public static final String LOST = "hoptrace.lost.packets";
  public static final String SUMMARIES = "hoptrace.summaries.processed";
  public static final String SKIPPED = "hoptrace.summaries.skipped";
  public static final String CONVERSATIONS = "hoptrace.conversations.started";
  public static final String OPEN = "hoptrace.conversations.open";
  public static final String LAG = "hoptrace.event.time.lag";

  private final MeterRegistry registry;
  private final Map<String, AlertType> firing = new ConcurrentHashMap<>();
  private final Map<String, Long> lostSoFar = new ConcurrentHashMap<>();

  public JobMetrics(MeterRegistry registry, DetectionStats stats, InstantSource clock) {
    this.registry = registry;
    for (AlertType t : AlertType.values()) {
      Gauge.builder(FIRING, firing, m -> m.values().stream().filter(t::equals).count())
          .description("Alerts firing now")
          .tag("type", t.name())
          .register(registry);
    }
    FunctionCounter.builder(SUMMARIES, stats, s -> s.total("packets"))
        .description("Packet summaries processed by the detection cores")
        .register(registry);
    for (String reason : new String[] {"NOT_IP", "ICMP_WITHOUT_QUOTE"}) {
      FunctionCounter.builder(SKIPPED, stats, s -> s.total("skipped." + reason))
          .description("Packet summaries skipped or counted once, by reason")
          .tag("reason", reason)
          .register(registry);
    }
    FunctionCounter.builder(SKIPPED, stats, s -> s.total("duplicates"))
        .description("Packet summaries skipped or counted once, by reason")
        .tag("reason", "DUPLICATE")
        .register(registry);
    FunctionCounter.builder(CONVERSATIONS, stats, s -> s.total("conversations"))
        .description("Conversations the detection cores started")
        .register(registry);
    Gauge.builder(
            OPEN,
            stats,
            s -> Math.max(0, s.total("conversations") - s.total("conversations.ended")))
        .description("Conversations open in the detection cores")
        .register(registry);
    Gauge.builder(
            LAG,
            stats,
            s -> {
              long t = s.eventTimeNanos();
              if (t == Long.MIN_VALUE) {
                return Double.NaN;
              }
              long now = clock.instant().toEpochMilli() * 1_000_000L;
              return (now - t) / 1e9;
            })
        .description("Wall clock minus the detection cores' event time")
        .baseUnit("seconds")
        .register(registry);
  }

  /** Alerts firing when the process started (read from the topic): the gauge only. */
  public void restoreFiring(java.util.List<Alert> firingNow) {
    for (Alert a : firingNow) {
      firing.put(a.getId(), a.getType());
    }
  }

  /** One committed alert record. */
  public void onAlert(Alert a) {
    Counter.builder(ALERTS)
        .description("Alert records the job committed")
        .tag("type", a.getType().name())
        .tag("severity", a.getSeverity().name())
        .tag("status", a.getStatus().name())
        .register(registry)
        .increment();
    if (a.getStatus() == AlertStatus.FIRING) {
      firing.put(a.getId(), a.getType());
    } else {
      firing.remove(a.getId());
    }
    LostAt l = a.getLostAt();
    if (l != null && (l.getAfter() != null || l.getBefore() != null)) {
      Map<String, Long> c = a.getEvidence().getCounts();
      long lost = c.getOrDefault("lostForward", 0L) + c.getOrDefault("lostReverse", 0L);
      Long before = lostSoFar.put(a.getId(), lost);
      long delta = lost - (before == null ? 0 : before);
      if (a.getStatus() == AlertStatus.RESOLVED) {
        lostSoFar.remove(a.getId());
      }
      if (delta > 0) {
        Counter.builder(LOST)
            .description("Packets lost between two hops, from the alerts")
            .tag("after", segmentLabel(l.getAfter()))
            .tag("before", segmentLabel(l.getBefore()))
            .register(registry)
            .increment(delta);
      }
    }
  }

  /** One committed flow record (only final ones are counted). */
  public void onFlow(FlowRecord f) {
    if (f.getFinal$()) {
      Counter.builder(FLOWS)
          .description("Conversations ended, by verdict")
          .tag("verdict", f.getVerdict())
          .register(registry)
          .increment();
    }
  }

  /**
   * A hop id as a bounded label value: {@code node/iface}, pod hops {@code node/pod}, veths {@code
   * node/veth}, {@code ?} when unknown.
   */
  static String segmentLabel(String hopId) {
    if (hopId == null || hopId.isBlank()) {
      return "?";
    }
    HopId h;
    try {
      h = HopId.parse(hopId);
    } catch (IllegalArgumentException e) {
      return "?";
    }
    if (h.pod() != null) {
      return h.node() + "/pod";
    }
    if (h.iface().startsWith("veth")) {
      return h.node() + "/veth";
    }
    return h.node() + "/" + h.iface();
  }
}
