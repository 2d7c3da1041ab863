package io.hoptrace.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The last expected path {@link PathPlanner} planned for each direction of one conversation, with a
 * snapshot of everything the plan read, so that a conversation judged again (every packet, every
 * timer, the flow record, each detector's lost-at) re-plans only when an input changed. Held in
 * memory on the {@link Conversation} (never persisted: a restored conversation plans afresh).
 *
 * <p>What a plan reads, and so what the snapshot holds: the inventory ({@link InventoryIndex}
 * instances are immutable: compared by identity), the hop registry's version (a hop seen for the
 * first time on any node can be a candidate hop of the path), each tuple (its object and its
 * endpoint strings, which {@link TupleInfo#flip} swaps), each slot (its object, tuple index and
 * per-direction state objects, which {@link HopSlot#flip} swaps, their first-seen times, which
 * order the hops, and outer addresses, which name an unknown end's node). Comparison is exact
 * (identity for objects, equality for values): a cache hit returns precisely what planning again
 * would return. The plan is immutable; callers only read it.
 */
final class PlanCache {
  private static final int TUPLE_REFS = 3;
  private static final int SLOT_REFS = 9;
  private static final int SLOT_NUMS = 4;

  private final Object[][] refs = new Object[2][];
  private final long[][] nums = new long[2][];
  private final List<List<PathPlanner.PathHop>> plans =
      new ArrayList<>(List.of(List.of(), List.of()));

  /**
   * The cached plan of direction d when every input is as when it was made, else null. Compares in
   * place, in {@link #snapshotRefs}/{@link #snapshotNums} order, allocating nothing: it runs at
   * every judgement of a conversation.
   */
  List<PathPlanner.PathHop> get(Conversation c, int d, InventoryIndex inv, long registryVersion) {
    Object[] r = refs[d];
    long[] n = nums[d];
    if (r == null
        || r.length != 1 + TUPLE_REFS * c.tuples.size() + SLOT_REFS * c.slots.size()
        || r[0] != inv
        || n[0] != registryVersion) {
      return null;
    }
    int k = 1;
    for (TupleInfo t : c.tuples) {
      if (r[k++] != t || !Objects.equals(r[k++], t.src) || !Objects.equals(r[k++], t.dst)) {
        return null;
      }
    }
    int m = 1;
    for (HopSlot s : c.slots) {
      HopDir a = s.dir[0];
      HopDir b = s.dir[1];
      if (r[k++] != s
          || !Objects.equals(r[k++], s.hop)
          || !Objects.equals(r[k++], s.node)
          || r[k++] != a
          || r[k++] != b
          || !Objects.equals(r[k++], a.outerSrc)
          || !Objects.equals(r[k++], a.outerDst)
          || !Objects.equals(r[k++], b.outerSrc)
          || !Objects.equals(r[k++], b.outerDst)
          || n[m++] != s.tuple
          || n[m++] != a.firstTs
          || n[m++] != b.firstTs
          || n[m++] != s.role.ordinal()) {
        return null;
      }
    }
    return plans.get(d);
  }

  /**
   * Keeps {@code plan} as direction d's plan for the inputs as they are now; returns the copy kept.
   */
  List<PathPlanner.PathHop> put(
      Conversation c,
      int d,
      InventoryIndex inv,
      long registryVersion,
      List<PathPlanner.PathHop> plan) {
    refs[d] = snapshotRefs(c, inv);
    nums[d] = snapshotNums(c, registryVersion);
    List<PathPlanner.PathHop> kept = List.copyOf(plan);
    plans.set(d, kept);
    return kept;
  }

  /**
   * Objects compared by {@link Objects#equals}: state objects by identity (their classes do not
   * override equals), strings by value.
   */
  private static Object[] snapshotRefs(Conversation c, InventoryIndex inv) {
    Object[] r = new Object[1 + TUPLE_REFS * c.tuples.size() + SLOT_REFS * c.slots.size()];
    int k = 0;
    r[k++] = inv;
    for (TupleInfo t : c.tuples) {
      r[k++] = t;
      r[k++] = t.src;
      r[k++] = t.dst;
    }
    for (HopSlot s : c.slots) {
      HopDir a = s.dir[0];
      HopDir b = s.dir[1];
      r[k++] = s;
      r[k++] = s.hop;
      r[k++] = s.node;
      r[k++] = a;
      r[k++] = b;
      r[k++] = a.outerSrc;
      r[k++] = a.outerDst;
      r[k++] = b.outerSrc;
      r[k++] = b.outerDst;
    }
    return r;
  }

  private static long[] snapshotNums(Conversation c, long registryVersion) {
    long[] n = new long[1 + SLOT_NUMS * c.slots.size()];
    int m = 0;
    n[m++] = registryVersion;
    for (HopSlot s : c.slots) {
      n[m++] = s.tuple;
      n[m++] = s.dir[0].firstTs;
      n[m++] = s.dir[1].firstTs;
      n[m++] = s.role.ordinal();
    }
    return n;
  }
}
