package io.hoptrace.detect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Every setting of the detection core (SPEC section 5 defaults), declared once. Keys are prefixed
 * {@code hoptrace.detect.} when read from engine properties; {@link #fromMap} accepts both the
 * short and the prefixed form.
 */
public final class DetectionConfig {
  /** Prefix under which hosts pass these settings in their own properties. */
  public static final String PREFIX = "hoptrace.detect.";

  private static final List<Setting<?>> ALL = new ArrayList<>();

  public static final Setting<Long> ONE_WAY_WINDOW_MS =
      register(
          ms(
              "oneway.window.ms",
              10_000,
              "A flow that sends where a reply is expected and sees no reply for this long is"
                  + " ONE_WAY."));
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
  public static final Setting<Long> ONE_WAY_MIN_LOST =
      register(
          count(
              "oneway.return.min.lost",
              1,
              "Replies lost between two hops (and none delivered) in the window that make a"
                  + " return-path ONE_WAY."));
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
  public static final Setting<Long> MAX_PENDING_FINGERPRINTS =
      register(
          count(
              "loss.max.pending",
              64,
              "Packets per conversation awaiting their hop match; beyond this the oldest is"
                  + " settled early and never counted as lost."));
  public static final Setting<Long> STORM_WINDOW_MS =
      register(ms("storm.window.ms", 10_000, "Window of RETRANSMISSION_STORM."));
  public static final Setting<Long> STORM_MIN_RETRANSMISSIONS =
      register(count("storm.min.retransmissions", 3, "Retransmissions in the window for a storm."));
  public static final Setting<Double> STORM_MIN_RATIO =
      register(ratio("storm.min.ratio", 0.10, "Share of retransmitted segments for a storm."));
  public static final Setting<Long> STORM_AGGREGATE_MIN_FLOWS =
      register(
          count(
              "storm.aggregate.min.flows",
              5,
              "Storming flows to one destination that are reported as ONE aggregated alert."));
  public static final Setting<Long> ICMP_WINDOW_MS =
      register(ms("icmp.window.ms", 10_000, "Window of the ICMP_UNREACHABLE pattern."));
  public static final Setting<Long> ICMP_MIN_COUNT =
      register(
          count(
              "icmp.min.count",
              3,
              "ICMP errors with the same (reporter, target, code) in the window for a pattern."));
  public static final Setting<Long> DNS_TIMEOUT_MS =
      register(ms("dns.timeout.ms", 2_000, "A DNS query without answer for this long failed."));
  public static final Setting<Long> DNS_WINDOW_MS =
      register(ms("dns.window.ms", 10_000, "Window of DNS_FAILURE."));
  public static final Setting<Long> DNS_MIN_FAILURES =
      register(
          count(
              "dns.min.failures",
              3,
              "Unanswered, SERVFAIL or REFUSED queries to one resolver in the window."));
  public static final Setting<Long> VTEP_WINDOW_MS =
      register(ms("vtep.window.ms", 10_000, "Window of VTEP_MISMATCH."));
  public static final Setting<Long> VTEP_MIN_PACKETS =
      register(
          count("vtep.min.packets", 1, "Mismatching encapsulated packets in the window to alert."));
  public static final Setting<Long> MTU_WINDOW_MS =
      register(ms("mtu.window.ms", 10_000, "Window of MTU_BLACKHOLE."));
  public static final Setting<Long> MTU_LARGE_BYTES =
      register(
          count(
              "mtu.large.bytes",
              1400,
              "IP packets of at least this size are 'large' (lost large DF segments, sizes that"
                  + " pass vs sizes lost)."));
  public static final Setting<Long> MTU_MIN_LOST =
      register(
          count(
              "mtu.min.lost",
              3,
              "Large packets lost (or large DF segments retransmitted) while small ones pass."));
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
  public static final Setting<Long> MAX_HOPS =
      register(count("max.hops", 32, "Hops tracked per conversation (further hops are ignored)."));

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
    return new Setting<>(key, def, doc + " (ms)", Long::parseLong, v -> v > 0, "> 0");
  }

  private static Setting<Long> nanos(String key, long def, String doc) {
    return new Setting<>(key, def, doc + " (ns)", Long::parseLong, v -> v >= 0, ">= 0");
  }

  private static Setting<Long> count(String key, long def, String doc) {
    return new Setting<>(key, def, doc, Long::parseLong, v -> v >= 1, ">= 1");
  }

  private static Setting<Double> ratio(String key, double def, String doc) {
    return new Setting<>(
        key, def, doc, Double::parseDouble, v -> v >= 0 && v <= 1, "between 0 and 1");
  }

  private static Setting<Boolean> bool(String key, boolean def, String doc) {
    return new Setting<>(
        key,
        def,
        doc,
        t -> {
          if (!t.equalsIgnoreCase("true") && !t.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("not a boolean");
          }
          return Boolean.parseBoolean(t);
        },
        v -> true,
        "true or false");
  }

  private static Setting<Set<Integer>> ports(String key, String def, String doc) {
    return new Setting<>(
        key,
        parsePorts(def),
        doc + " Comma-separated.",
        DetectionConfig::parsePorts,
        v -> v.stream().allMatch(p -> p >= 0 && p <= 65535),
        "ports between 0 and 65535");
  }

  private static Set<Integer> parsePorts(String text) {
    Set<Integer> out = new TreeSet<>();
    Arrays.stream(text.split(","))
        .map(String::trim)
        .filter(t -> !t.isEmpty())
        .forEach(t -> out.add(Integer.parseInt(t)));
    return Collections.unmodifiableSet(out);
  }
}
