package io.hoptrace.detect.detector;

import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.detect.Setting;
import io.hoptrace.schema.AlertType;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The detector registry: every detector, registered once here. The registration order is the order
 * of the slices in a conversation and the tie-break of the evaluation order, which is otherwise
 * given by the detectors' {@link Detector#after()} declarations.
 */
public final class Detectors {
  /**
   * A registered detector: its alert spec and settings (known without configuration, for stage 2,
   * documentation and the configuration itself) and how to make it from a configuration.
   */
  public record Registration(
      AlertSpec alert, List<Setting<?>> settings, Function<DetectionConfig, Detector<?>> factory) {}

  private static final List<Registration> ALL =
      List.of(
          DnsFailureDetector.REGISTRATION,
          VtepMismatchDetector.REGISTRATION,
          MtuBlackholeDetector.REGISTRATION,
          OneWayDetector.REGISTRATION,
          RetransmissionStormDetector.REGISTRATION,
          IcmpUnreachableDetector.REGISTRATION);

  private static final Map<AlertType, AlertSpec> SPECS = new EnumMap<>(AlertType.class);

  static {
    for (Registration r : ALL) {
      if (SPECS.put(r.alert().type(), r.alert()) != null) {
        throw new IllegalStateException("two detectors raise " + r.alert().type());
      }
    }
  }

  private Detectors() {}

  /** Every registration, in registration order. */
  public static List<Registration> registrations() {
    return ALL;
  }

  /** The settings every detector declares, in registration order. */
  public static List<Setting<?>> settings() {
    List<Setting<?>> out = new ArrayList<>();
    ALL.forEach(r -> out.addAll(r.settings()));
    return out;
  }

  /** The alert spec of a type; fails for a type no detector raises (never a silent default). */
  public static AlertSpec spec(AlertType type) {
    AlertSpec s = SPECS.get(type);
    if (s == null) {
      throw new IllegalArgumentException("no detector raises " + type);
    }
    return s;
  }

  /** Every detector for a configuration, in registration order (the order of the slices). */
  public static List<Detector<?>> create(DetectionConfig cfg) {
    List<Detector<?>> out = new ArrayList<>(ALL.size());
    Set<Integer> codes = new java.util.HashSet<>();
    for (Registration r : ALL) {
      Detector<?> d = r.factory().apply(cfg);
      if (d.alert() != r.alert()) {
        throw new IllegalStateException(d + " does not return its registered alert spec");
      }
      if (!codes.add(d.stateCode())) {
        throw new IllegalStateException("state code " + d.stateCode() + " used twice");
      }
      out.add(d);
    }
    return out;
  }

  /**
   * Indexes (into {@code detectors}) in evaluation order: every detector after those its {@link
   * Detector#after()} names, ties in registration order. Fails on a cycle or an unknown type.
   */
  public static int[] evaluationOrder(List<Detector<?>> detectors) {
    int n = detectors.size();
    Map<AlertType, Integer> byType = new EnumMap<>(AlertType.class);
    for (int i = 0; i < n; i++) {
      byType.put(detectors.get(i).alert().type(), i);
    }
    boolean[] done = new boolean[n];
    int[] order = new int[n];
    for (int k = 0; k < n; k++) {
      int next = -1;
      for (int i = 0; i < n && next < 0; i++) {
        if (done[i]) {
          continue;
        }
        boolean ready = true;
        for (AlertType dep : detectors.get(i).after()) {
          Integer j = byType.get(dep);
          if (j == null) {
            throw new IllegalStateException(
                detectors.get(i).alert().type() + " runs after " + dep + ", which nothing raises");
          }
          ready &= done[j];
        }
        if (ready) {
          next = i;
        }
      }
      if (next < 0) {
        throw new IllegalStateException("detector dependencies form a cycle");
      }
      done[next] = true;
      order[k] = next;
    }
    return order;
  }

  /** Sum over the detectors of {@link Detector#drainNanos()}. */
  public static long drainNanos(List<Detector<?>> detectors) {
    long sum = 0;
    for (Detector<?> d : detectors) {
      sum += d.drainNanos();
    }
    return sum;
  }

  /** The longest stage-2 event window (ns) of any detector. */
  public static long longestEventWindowNanos(DetectionConfig cfg) {
    long max = 0;
    for (Registration r : ALL) {
      if (!r.alert().perMember()) {
        max = Math.max(max, r.alert().windowNanos(cfg));
      }
    }
    return max;
  }

  /** Prototypes (default configuration) for what needs no configuration: slices, codecs. */
  static final class Prototypes {
    static final List<Detector<?>> ALL = create(DetectionConfig.defaults());

    private Prototypes() {}
  }

  /** Detectors with default settings, for fresh slices and slice codecs. */
  public static List<Detector<?>> prototypes() {
    return Prototypes.ALL;
  }
}
