package io.hoptrace.detect.detector;

import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.detect.Setting;
import io.hoptrace.schema.AlertType;
import io.hoptrace.schema.Severity;

/**
 * What a detector's alerts are to stage 2 ({@link io.hoptrace.detect.AlertAggregator}) and to
 * operators: severity, how findings are aggregated and, for events, the window and minimum count
 * that make them fire. Declared once per detector; stage 2, {@link io.hoptrace.detect.Alerts} and
 * the CLI read it from {@link Detectors}, so a new alert type never falls into a default.
 *
 * @param type the alert type the detector raises (one detector per type)
 * @param severity severity of its alerts
 * @param stage2 how stage 2 aggregates its findings
 * @param windowMs the stage-2 event window ({@link Stage2#EVENTS_IN_WINDOW} only, else null)
 * @param minCount events in the window that fire ({@link Stage2#EVENTS_IN_WINDOW} only, else null)
 * @param summary one line for documentation: what the alert means
 */
public record AlertSpec(
    AlertType type,
    Severity severity,
    Stage2 stage2,
    Setting<Long> windowMs,
    Setting<Long> minCount,
    String summary) {

  /** How stage 2 aggregates a detector's findings. */
  public enum Stage2 {
    /** STATE findings per member (conversation), passed through deduplicated. */
    PER_MEMBER,
    /**
     * STATE findings per member, folded into one alert per subject (destination) from {@code
     * storm.aggregate.min.flows} members on.
     */
    PER_MEMBER_FOLDED,
    /** EVENT findings counted per subject in a window; fire from a minimum count. */
    EVENTS_IN_WINDOW
  }

  public AlertSpec {
    if ((stage2 == Stage2.EVENTS_IN_WINDOW) != (windowMs != null && minCount != null)) {
      throw new IllegalArgumentException(type + ": a window and minimum iff events in a window");
    }
  }

  /** Whether stage 2 keeps this type's findings per member. */
  public boolean perMember() {
    return stage2 != Stage2.EVENTS_IN_WINDOW;
  }

  /** The stage-2 event window (ns); fails for per-member types, which have none. */
  public long windowNanos(DetectionConfig cfg) {
    if (windowMs == null) {
      throw new IllegalStateException(type + " has no stage-2 event window");
    }
    return cfg.nanos(windowMs);
  }

  /** The minimum count in the window; fails for per-member types, which have none. */
  public long minCount(DetectionConfig cfg) {
    if (minCount == null) {
      throw new IllegalStateException(type + " has no stage-2 minimum count");
    }
    return cfg.get(minCount);
  }
}
