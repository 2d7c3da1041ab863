package io.hoptrace.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * NAT linking: one packet fingerprint seen under two flow keys on one node within {@code
 * nat.link.window.ms} makes their conversations one. Indexes recent fingerprints in {@link
 * FlowStores#fingerprints()}, merges the conversations ({@link Conversation#absorb}), keeps the
 * aliases of the merged flow keys and sweeps old fingerprints. All of NAT linking is here.
 */
final class NatLinker {
  private final FlowStores stores;
  private final Timers timers;
  private final long natNs;
  private final long natPackets;
  private final DetectionConfig cfg;
  private final int maxHops;
  private final Function<String, Conversation> load;
  private final BiConsumer<Conversation, Conversation> beforeMerge;
  private final Consumer<String> count;
  private long lastSweep = Long.MIN_VALUE;

  /**
   * @param load the conversation of a flow key (through its alias), or null
   * @param beforeMerge called with (gone, keep) before gone is absorbed into keep
   * @param count counts an occurrence in the core's statistics
   */
  NatLinker(
      DetectionConfig cfg,
      FlowStores stores,
      Timers timers,
      Function<String, Conversation> load,
      BiConsumer<Conversation, Conversation> beforeMerge,
      Consumer<String> count) {
    this.stores = stores;
    this.timers = timers;
    this.natNs = cfg.nanos(DetectionConfig.NAT_LINK_WINDOW_MS);
    this.natPackets = cfg.get(DetectionConfig.NAT_INDEXED_PACKETS);
    this.cfg = cfg;
    this.maxHops = (int) Math.min(64, cfg.get(DetectionConfig.MAX_HOPS));
    this.load = load;
    this.beforeMerge = beforeMerge;
    this.count = count;
  }

  /**
   * Whether a packet is indexed: the leading packets, and every packet of a flow key's first link
   * window: the latter holds the same packets under every tuple of a NAT-ed conversation whatever
   * their arrival order.
   */
  boolean indexes(Conversation c, TupleInfo t, int d, long fp, long ts) {
    return fp != 0 && (c.natIndexed[d] <= natPackets || ts - t.firstSeen <= natNs);
  }

  private static long fpKey(long fp, String node) {
    return fp * 0x9E3779B97F4A7C15L ^ node.hashCode();
  }

  /**
   * Indexes a packet's fingerprint and links its conversation with the one that saw the same
   * fingerprint under another flow key on this node; returns the conversation kept.
   */
  Conversation link(
      Conversation c, String key, int d, String node, boolean aToB, long fp, long ts) {
    long k = fpKey(fp, node);
    FingerprintEntry e = stores.fingerprints().get(k);
    Conversation result = c;
    if (e != null
        && !e.flowKey().equals(key)
        && e.node().equals(node)
        && Math.abs(ts - e.ts()) <= natNs) {
      Conversation other = load.apply(e.flowKey());
      if (other != null && !other.id.equals(c.id)) {
        TupleInfo ot = other.tuple(e.flowKey());
        if (ot != null && ot.proto == c.first().proto) {
          int od = e.aToB() == ot.initiatorIsA() ? 0 : 1;
          result = merge(c, other, d != od);
        }
      }
    }
    stores.fingerprints().put(k, new FingerprintEntry(key, node, ts, aToB));
    return result;
  }

  /**
   * Merges two conversations found to be one (NAT). The one holding the upstream tuple (the
   * initiator's side) is kept, with its id and orientation: decided from what the hops saw, so the
   * result is the same whichever tuple's packets arrived first.
   */
  private Conversation merge(Conversation a, Conversation b, boolean opposite) {
    if (opposite) {
      b.flip();
    }
    a.orderTuples();
    b.orderTuples();
    boolean aFirst = Conversation.upstream(a, 0, b, 0);
    Conversation keep = aFirst ? a : b;
    Conversation gone = aFirst ? b : a;
    boolean restore = opposite && !aFirst;
    beforeMerge.accept(gone, keep);
    keep.absorb(gone, maxHops);
    if (restore) {
      keep.flip(); // b was turned to a's orientation; b is kept, with its own
    }
    keep.orderTuples();
    for (TupleInfo t : keep.tuples) {
      if (!t.key.equals(keep.id)) {
        stores.aliases().put(t.key, keep.id);
      }
    }
    stores.conversations().delete(gone.id);
    timers.cancel(gone.id, gone.deadline);
    count.accept("nat.links");
    return keep;
  }

  /**
   * Rebuilds the fingerprint index from the conversations' own state, for hosts that keep the index
   * in memory only (no changelog: it is about 2/3 of stage 1's state writes): every fingerprint a
   * conversation still holds as pending (within the lateness, which is longer than the link
   * window), with each hop that saw it — hence its node and flow key. A conversation linked before
   * holds both tuples' sightings; they link nothing new. The rebuilt index may hold a few more
   * sightings than the live one did (not only each tuple's leading packets): a link then needs the
   * same fingerprint under another flow key on the same node within the window, as always.
   *
   * @return the number of sightings indexed
   */
  int rebuildIndex() {
    int[] n = {0};
    stores
        .conversations()
        .forEach(
            (id, c) -> {
              for (Pending p : c.pending) {
                for (int i = 0; i < c.slots.size() && i < 64; i++) {
                  if ((p.mask & (1L << i)) == 0) {
                    continue;
                  }
                  HopSlot slot = c.slots.get(i);
                  TupleInfo t = c.tuples.get(slot.tuple);
                  boolean aToB = (p.dir == 0) == t.initiatorIsA();
                  long k = fpKey(p.fp, slot.node);
                  FingerprintEntry e = stores.fingerprints().get(k);
                  if (e == null || e.ts() <= p.firstTs) {
                    stores
                        .fingerprints()
                        .put(k, new FingerprintEntry(t.key, slot.node, p.firstTs, aToB));
                    n[0]++;
                  }
                }
              }
            });
    return n[0];
  }

  /** Forgets fingerprints too old to link anything (every 20 link windows of event time). */
  void sweep(long now) {
    if (lastSweep != Long.MIN_VALUE && now - lastSweep < 20 * natNs) {
      return;
    }
    lastSweep = now;
    sweepNow(now);
  }

  /**
   * How long after its capture time a fingerprint can still link anything: a sighting under the
   * other tuple may arrive up to the lateness later, within the link window either side.
   */
  static long retentionNanos(DetectionConfig cfg) {
    return cfg.nanos(DetectionConfig.LATENESS_MS)
        + 2 * cfg.nanos(DetectionConfig.NAT_LINK_WINDOW_MS);
  }

  /** Forgets the fingerprints (of the store's current view) older than {@link #retentionNanos}. */
  void sweepNow(long now) {
    List<Long> old = new ArrayList<>();
    long horizon = now - retentionNanos(cfg);
    stores
        .fingerprints()
        .forEach(
            (k, v) -> {
              if (v.ts() < horizon) {
                old.add(k);
              }
            });
    old.forEach(stores.fingerprints()::delete);
  }
}
