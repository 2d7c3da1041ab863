package io.hoptrace.evidence;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which captured packets to keep: flow keys, each with the time spans in which its packets count. A
 * packet is matched by the key the decoder gives it ({@code PacketSummarizer.key()}): the canonical
 * key of its innermost IP header — so a VXLAN, Geneve or IP-in-IP packet on a node's NIC matches
 * its inner flow, both directions alike — or, for an ICMP error, the key of the flow it quotes.
 * Mutable while built, then read-only by convention.
 */
public final class PacketSelection {
  private final Map<String, List<long[]>> spans = new LinkedHashMap<>();

  /** Keeps the packets of {@code flowKey} captured within [{@code fromNanos}, {@code toNanos}]. */
  public PacketSelection add(String flowKey, long fromNanos, long toNanos) {
    if (flowKey == null || flowKey.isEmpty()) {
      throw new IllegalArgumentException("flowKey must be set");
    }
    if (toNanos < fromNanos) {
      throw new IllegalArgumentException(
          "span ends before it starts: " + fromNanos + " > " + toNanos);
    }
    spans.computeIfAbsent(flowKey, k -> new ArrayList<>(1)).add(new long[] {fromNanos, toNanos});
    return this;
  }

  /**
   * Whether a packet with decoder key {@code key} (null: not IP) captured at {@code tsNanos} is
   * kept.
   */
  public boolean matches(String key, long tsNanos) {
    if (key == null) {
      return false;
    }
    List<long[]> s = spans.get(key);
    if (s == null) {
      return false;
    }
    for (long[] span : s) {
      if (tsNanos >= span[0] && tsNanos <= span[1]) {
        return true;
      }
    }
    return false;
  }

  /** One flow key's span. */
  public record Span(String flowKey, long fromNanos, long toNanos) {}

  /** Every span, flow keys in the order they were added. */
  public List<Span> spans() {
    List<Span> out = new ArrayList<>();
    spans.forEach(
        (k, list) -> {
          for (long[] s : list) {
            out.add(new Span(k, s[0], s[1]));
          }
        });
    return out;
  }

  /** The flow keys selected, in the order they were added. */
  public Set<String> flowKeys() {
    return Collections.unmodifiableSet(spans.keySet());
  }

  /** True when nothing is selected. */
  public boolean isEmpty() {
    return spans.isEmpty();
  }

  @Override
  public String toString() {
    return "PacketSelection" + spans.keySet();
  }
}
