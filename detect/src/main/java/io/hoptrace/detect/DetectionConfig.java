package io.hoptrace.detect;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every setting of the detection core (SPEC section 5 defaults), declared once: the core's here,
 * each detector's in its class (also reachable here under their historical names). Keys are
 * prefixed {@code hoptrace.detect.} when read from engine properties; {@link #fromMap} accepts both
 * the short and the prefixed form.
 */
public final class DetectionConfig {
  /** Prefix under which hosts pass these settings in their own properties. */
  public static final String PREFIX = "hoptrace.detect.";

  private static final List<Setting<?>> ALL = new ArrayList<>();

  /** Declared by {@link io.hoptrace.detect.detector.OneWayDetector}. */
  public static final Setting<Long> ONE_WAY_WINDOW_MS =
      io.hoptrace.detect.detector.OneWayDetector.WINDOW_MS;

  public static final Setting<Set<Integer>> ONE_WAY_UDP_REQUEST_PORTS =
      register(
          ports(
              "oneway.udp.request.ports",
              "53,123",
              "UDP server ports whose traffic is request/response (a reply is expected)."));
  public static final Setting<Set<Integer>> ONE_WAY_UDP_NEVER_PORTS =
      register(
          ports(
              "oneway.udp.never.ports",
              "514,8125,4789,8472,6081",
              "Inherently one-way UDP (syslog, statsd, VXLAN, Geneve): never a ONE_WAY verdict."));
  public static final Setting<Boolean> ONE_WAY_DNS =
      register(
          bool(
              "oneway.dns",
              false,
              "Also give decoded DNS flows a ONE_WAY verdict (by default DNS_FAILURE covers"
                  + " them)."));

  /** Declared by {@link io.hoptrace.detect.detector.OneWayDetector}. */
  public static final Setting<Long> ONE_WAY_MIN_LOST =
      io.hoptrace.detect.detector.OneWayDetector.MIN_LOST;

  public static final Setting<Long> DUPLICATE_CAPTURE_NS =
      register(
          nanos(
              "duplicate.capture.ns",
              1_000_000,
              "The same fingerprint seen twice on one hop within this many ns is one packet"
                  + " captured twice."));
  public static final Setting<Long> LATENESS_MS =
      register(
          ms(
              "lateness.ms",
              2_000,
              "Bounded lateness of sensors: packets of one fingerprint are matched across hops"
                  + " for this long before the hop where it was lost is decided."));
  public static final Setting<Long> INCIDENT_LINGER_MS =
      register(
          ms(
              "incident.linger.ms",
              60_000,
              "How long (event time) a resolved incident is kept: an alert of the same cause that"
                  + " starts within it re-opens the incident with its earlier alerts, instead of a"
                  + " new incident (the alerts of one fault resolve and fire in an order that"
                  + " depends on the engine and its parallelism)."));
  public static final Setting<Long> MAX_PENDING_FINGERPRINTS =
      register(
          count(
              "loss.max.pending",
              64,
              "Packets per conversation awaiting their hop match; beyond this the oldest is"
                  + " settled early and never counted as lost."));

  /** Declared by {@link io.hoptrace.detect.detector.RetransmissionStormDetector}. */
  public static final Setting<Long> STORM_WINDOW_MS =
      io.hoptrace.detect.detector.RetransmissionStormDetector.WINDOW_MS;

  /** Declared by {@link io.hoptrace.detect.detector.RetransmissionStormDetector}. */
  public static final Setting<Long> STORM_MIN_RETRANSMISSIONS =
      io.hoptrace.detect.detector.RetransmissionStormDetector.MIN_RETRANSMISSIONS;

  /** Declared by {@link io.hoptrace.detect.detector.RetransmissionStormDetector}. */
  public static final Setting<Double> STORM_MIN_RATIO =
      io.hoptrace.detect.detector.RetransmissionStormDetector.MIN_RATIO;

  /** Declared by {@link io.hoptrace.detect.detector.RetransmissionStormDetector}. */
  public static final Setting<Long> STORM_AGGREGATE_MIN_FLOWS =
      io.hoptrace.detect.detector.RetransmissionStormDetector.AGGREGATE_MIN_FLOWS;

  /** Declared by {@link io.hoptrace.detect.detector.IcmpUnreachableDetector}. */
  public static final Setting<Long> ICMP_WINDOW_MS =
      io.hoptrace.detect.detector.IcmpUnreachableDetector.WINDOW_MS;

  /** Declared by {@link io.hoptrace.detect.detector.IcmpUnreachableDetector}. */
  public static final Setting<Long> ICMP_MIN_COUNT =
      io.hoptrace.detect.detector.IcmpUnreachableDetector.MIN_COUNT;

  /** Declared by {@link io.hoptrace.detect.detector.DnsFailureDetector}. */
  public static final Setting<Long> DNS_TIMEOUT_MS =
      io.hoptrace.detect.detector.DnsFailureDetector.TIMEOUT_MS;

  /** Declared by {@link io.hoptrace.detect.detector.DnsFailureDetector}. */
  public static final Setting<Long> DNS_WINDOW_MS =
      io.hoptrace.detect.detector.DnsFailureDetector.WINDOW_MS;

  /** Declared by {@link io.hoptrace.detect.detector.DnsFailureDetector}. */
  public static final Setting<Long> DNS_MIN_FAILURES =
      io.hoptrace.detect.detector.DnsFailureDetector.MIN_FAILURES;

  /** Declared by {@link io.hoptrace.detect.detector.VtepMismatchDetector}. */
  public static final Setting<Long> VTEP_WINDOW_MS =
      io.hoptrace.detect.detector.VtepMismatchDetector.WINDOW_MS;

  /** Declared by {@link io.hoptrace.detect.detector.VtepMismatchDetector}. */
  public static final Setting<Long> VTEP_MIN_PACKETS =
      io.hoptrace.detect.detector.VtepMismatchDetector.MIN_PACKETS;

  /** Declared by {@link io.hoptrace.detect.detector.MtuBlackholeDetector}. */
  public static final Setting<Long> MTU_WINDOW_MS =
      io.hoptrace.detect.detector.MtuBlackholeDetector.WINDOW_MS;

  /** Declared by {@link io.hoptrace.detect.detector.MtuBlackholeDetector}. */
  public static final Setting<Long> MTU_LARGE_BYTES =
      io.hoptrace.detect.detector.MtuBlackholeDetector.LARGE_BYTES;

  /** Declared by {@link io.hoptrace.detect.detector.MtuBlackholeDetector}. */
  public static final Setting<Long> MTU_MIN_LOST =
      io.hoptrace.detect.detector.MtuBlackholeDetector.MIN_LOST;

  public static final Setting<Long> NAT_LINK_WINDOW_MS =
      register(
          ms(
              "nat.link.window.ms",
              500,
              "One fingerprint seen under two flow keys on one node within this interval links"
                  + " them into one conversation."));
  public static final Setting<Long> NAT_INDEXED_PACKETS =
      register(
          count(
              "nat.indexed.packets",
              4,
              "Leading packets per conversation and direction indexed for NAT linking."));
  public static final Setting<Long> SILENCE_MS =
      register(
          ms(
              "input.silence.ms",
              2_000,
              "Wall time without any packet after which the input counts as silent and event time"
                  + " follows the wall clock (so a silent flow still alerts); while packets arrive,"
                  + " event time is theirs alone, however fast the job runs."));

  public static final Setting<Long> FLOW_IDLE_TIMEOUT_MS =
      register(
          ms(
              "flow.idle.timeout.ms",
              60_000,
              "A conversation without packets for this long ends (final FlowRecord)."));
  public static final Setting<Long> FLOW_CLOSE_LINGER_MS =
      register(
          ms(
              "flow.close.linger.ms",
              5_000,
              "After FIN both ways or RST a conversation ends this long after its last packet."));
  public static final Setting<Long> FLOW_UPDATE_INTERVAL_MS =
      register(
          ms(
              "flow.update.interval.ms",
              10_000,
              "Minimum interval between two interim FlowRecords of one conversation."));
  public static final Setting<Long> ALERT_UPDATE_INTERVAL_MS =
      register(
          ms(
              "alert.update.interval.ms",
              60_000,
              "Minimum interval between two FIRING updates (new counts) of one active alert; 0"
                  + " never updates."));
  public static final Setting<Long> DROPS_MAX_AGE_MS =
      register(
          ms(
              "drops.max.age.ms",
              30_000,
              "Kernel drops (the drops topic) whose last drop is older than this before an"
                  + " alert's time are not joined to it, and a conversation forgets them when newer"
                  + " drops arrive: an old drop of a long conversation does not explain a new"
                  + " alert. Three detector windows (10 s), for the sensors' once-a-second"
                  + " reports and their lateness."));
  public static final Setting<Long> MAX_HOPS =
      register(count("max.hops", 32, "Hops tracked per conversation (further hops are ignored)."));

  static {
    // every detector's own settings, declared in its class
    ALL.addAll(io.hoptrace.detect.detector.Detectors.settings());
  }

  private final Map<Setting<?>, Object> values;

  private DetectionConfig(Map<Setting<?>, Object> values) {
    this.values = values;
  }

  /** All settings with their defaults. */
  public static DetectionConfig defaults() {
    return fromMap(Map.of());
  }

  /**
   * Reads settings from a map of text values. Keys may carry {@link #PREFIX}; unknown keys under
   * the prefix are rejected, other keys are ignored.
   */
  public static DetectionConfig fromMap(Map<String, ?> raw) {
    Map<String, Setting<?>> byKey = new HashMap<>();
    for (Setting<?> s : ALL) {
      byKey.put(s.key(), s);
    }
    Map<Setting<?>, Object> values = new LinkedHashMap<>();
    for (Setting<?> s : ALL) {
      values.put(s, s.defaultValue());
    }
    for (Map.Entry<String, ?> e : raw.entrySet()) {
      String key = e.getKey();
      boolean prefixed = key.startsWith(PREFIX);
      String shortKey = prefixed ? key.substring(PREFIX.length()) : key;
      Setting<?> s = byKey.get(shortKey);
      if (s == null) {
        if (prefixed) {
          throw new IllegalArgumentException("unknown detection setting " + key);
        }
        continue;
      }
      values.put(s, s.parse(String.valueOf(e.getValue())));
    }
    return new DetectionConfig(values);
  }

  /** Returns a copy with one setting overridden (validated). */
  public <T> DetectionConfig with(Setting<T> setting, String value) {
    Map<Setting<?>, Object> copy = new LinkedHashMap<>(values);
    copy.put(setting, setting.parse(value));
    return new DetectionConfig(copy);
  }

  @SuppressWarnings("unchecked")
  public <T> T get(Setting<T> setting) {
    return (T) values.get(setting);
  }

  /** A duration setting in nanoseconds. */
  public long nanos(Setting<Long> msSetting) {
    return get(msSetting) * 1_000_000L;
  }

  /** All declared settings, for documentation and CLI help. */
  public static List<Setting<?>> settings() {
    return Collections.unmodifiableList(ALL);
  }

  /** The effective values as text, prefixed, e.g. to put into engine properties. */
  public Map<String, String> asPrefixedStrings() {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<Setting<?>, Object> e : values.entrySet()) {
      Object v = e.getValue();
      String text =
          v instanceof Set<?> set
              ? set.stream().map(String::valueOf).collect(Collectors.joining(","))
              : String.valueOf(v);
      out.put(PREFIX + e.getKey().key(), text);
    }
    return out;
  }

  private static <T> Setting<T> register(Setting<T> s) {
    ALL.add(s);
    return s;
  }

  private static Setting<Long> ms(String key, long def, String doc) {
    return Setting.ms(key, def, doc);
  }

  private static Setting<Long> nanos(String key, long def, String doc) {
    return Setting.nanos(key, def, doc);
  }

  private static Setting<Long> count(String key, long def, String doc) {
    return Setting.count(key, def, doc);
  }

  private static Setting<Boolean> bool(String key, boolean def, String doc) {
    return Setting.bool(key, def, doc);
  }

  private static Setting<Set<Integer>> ports(String key, String def, String doc) {
    return Setting.ports(key, def, doc);
  }
}
