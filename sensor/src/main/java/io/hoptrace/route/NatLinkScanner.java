package io.hoptrace.route;

import io.hoptrace.schema.PacketSummary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Builds the NAT table of a replay from the captures themselves, as a translating node's conntrack
 * table would give it live: a packet (its NAT-invariant fingerprint, SPEC section 4) seen on one
 * node under two flow keys within the link window links the two keys into one conversation. Links
 * are transitive (a NodePort conversation spans three tuples).
 *
 * <p>It links at least whatever the detection core would link (the same evidence, every packet
 * rather than the first few of each tuple, and a window at least the core's), so a conversation the
 * core stitches on one partition is never split across partitions; linking more only places more
 * flows on one partition, which changes no result.
 *
 * <p>Feed summaries in capture-time order ({@link #add}); memory is bounded by the packets of one
 * link window: older sightings are dropped as time advances.
 */
public final class NatLinkScanner {
  private static final int SWEEP_EVERY = 1 << 16;

  private record FpNode(long fingerprint, String node) {}

  private static final class Sightings {
    final List<String> keys = new ArrayList<>(2);
    final List<long[]> spans = new ArrayList<>(2);
    long last;
  }

  private final long windowNanos;
  private final Map<FpNode, Sightings> recent = new HashMap<>();
  private final Map<String, String> parent = new HashMap<>();
  private long now = Long.MIN_VALUE;
  private int sinceSweep;

  /**
   * @param windowNanos how far apart two sightings of one packet may be to link their keys (at
   *     least the detection core's {@code nat.link.window.ms})
   */
  public NatLinkScanner(long windowNanos) {
    if (windowNanos <= 0) {
      throw new IllegalArgumentException("windowNanos must be > 0, was " + windowNanos);
    }
    this.windowNanos = windowNanos;
  }

  /**
   * One summary: the node whose hop captured it, its packet fingerprint (0 = none: ignored), its
   * flow key (null: not IP, ignored) and capture time.
   */
  public void add(String node, long fingerprint, String flowKey, long tsNanos) {
    if (fingerprint == 0 || flowKey == null || node == null) {
      return;
    }
    now = Math.max(now, tsNanos);
    Sightings s = recent.computeIfAbsent(new FpNode(fingerprint, node), k -> new Sightings());
    s.last = Math.max(s.last, tsNanos);
    int i = s.keys.indexOf(flowKey);
    if (i < 0) {
      for (int j = 0; j < s.keys.size(); j++) {
        long[] span = s.spans.get(j);
        if (tsNanos >= span[0] - windowNanos && tsNanos <= span[1] + windowNanos) {
          union(flowKey, s.keys.get(j));
        }
      }
      s.keys.add(flowKey);
      s.spans.add(new long[] {tsNanos, tsNanos});
    } else {
      long[] span = s.spans.get(i);
      span[0] = Math.min(span[0], tsNanos);
      span[1] = Math.max(span[1], tsNanos);
    }
    if (++sinceSweep >= SWEEP_EVERY) {
      sweep();
    }
  }

  /** {@link #add(String, long, String, long)} for a summary published under {@code key}. */
  public void add(PacketSummary s, String key) {
    add(s.getNode(), s.getFingerprint(), key, s.getTsNanos());
  }

  private void sweep() {
    sinceSweep = 0;
    long horizon = now - 2 * windowNanos;
    for (Iterator<Sightings> it = recent.values().iterator(); it.hasNext(); ) {
      if (it.next().last < horizon) {
        it.remove();
      }
    }
  }

  private String find(String k) {
    String p = parent.get(k);
    if (p == null) {
      return k;
    }
    String root = find(p);
    if (!root.equals(p)) {
      parent.put(k, root);
    }
    return root;
  }

  private void union(String a, String b) {
    String ra = find(a);
    String rb = find(b);
    if (ra.equals(rb)) {
      return;
    }
    // the smaller key is the root: the representative does not depend on the order of links
    if (ra.compareTo(rb) < 0) {
      parent.put(rb, ra);
      parent.putIfAbsent(ra, null);
    } else {
      parent.put(ra, rb);
      parent.putIfAbsent(rb, null);
    }
  }

  /** The links found so far, as a router. */
  public NatLinks build() {
    Map<String, String> rep = new HashMap<>();
    int conversations = 0;
    for (String k : parent.keySet()) {
      String r = find(k);
      rep.put(k, r);
      if (k.equals(r)) {
        conversations++;
      }
    }
    return new NatLinks(rep, conversations);
  }

  @Override
  public String toString() {
    return "NatLinkScanner[window=" + windowNanos + "ns, keys=" + parent.size() + "]";
  }
}
