package io.hoptrace.detect;

import io.hoptrace.detect.detector.Detector;
import io.hoptrace.detect.detector.Detectors;
import java.util.ArrayList;
import java.util.List;

/**
 * State of one conversation: every 5-tuple it spans (NAT), per-hop and per-direction accounting,
 * packets awaiting their hop match, and what the per-flow detectors last reported. Direction 0 is
 * initiator to responder ("forward"), 1 the reverse. Held by the host in a {@code StateStore}
 * through {@link Codecs#conversation()}.
 */
public final class Conversation {
  public String id;
  public final List<TupleInfo> tuples = new ArrayList<>();
  public final List<HopSlot> slots = new ArrayList<>();
  public long firstSeen = -1;
  public long lastSeen = -1;
  public final long[] lastDirTs = {-1, -1};
  public final long[] firstUnanswered = {-1, -1};
  public final long[] unanswered = {0, 0};
  public final int[] tcpFlags = {0, 0};
  public String history = "";
  public boolean rejected;
  public String rejectReason;
  public boolean unreachable;
  public boolean requested;
  public long lastIcmpTs = -1;

  /**
   * Findings context: until when a specific cause (MTU black hole, misdirected encapsulation)
   * explains losses. Written by detectors through {@link #explainLoss}, read by those declaring the
   * writers in {@code Detector.after()}.
   */
  long explainedUntil = -1;

  /**
   * Findings context valid during one evaluation pass (VTEP_MISMATCH establishes it before its
   * readers, the core clears it after the pass; never persisted): per direction, the sender whose
   * encapsulation uses an outer source that is not its registered VTEP address, that source and the
   * registered one; null when none.
   */
  private final String[] wrongSourceSender = new String[2];

  private final String[] wrongSourceOuter = new String[2];
  private final String[] wrongSourceRegistered = new String[2];

  public long closedTs = -1;
  public final List<Pending> pending = new ArrayList<>();
  public final DirLoss[] loss = {new DirLoss(), new DirLoss()};
  public final long[] icmpRing = new long[8];
  public int icmpPos;
  public long icmpErrors;
  public boolean dnsFlow;
  public long lastFlowEmit = -1;
  public boolean dirty;
  public final int[] natIndexed = {0, 0};
  public long deadline = -1;

  /** What the kernel said about this conversation's packets (drop reasons, docs/drops.md). */
  public final DropNotes drops = new DropNotes();

  /** The last planned paths ({@link PathPlanner}), in memory only; created on first use. */
  PlanCache plans;

  /**
   * One state slice per registered detector, in registration order ({@link
   * io.hoptrace.detect.detector.Detectors}); null for detectors without state.
   */
  public final Object[] slices;

  public Conversation() {
    List<Detector<?>> ds = Detectors.prototypes();
    slices = new Object[ds.size()];
    for (int i = 0; i < slices.length; i++) {
      slices[i] = ds.get(i).newState();
    }
  }

  /**
   * Records an ICMP error about this conversation (an answer: nothing is unanswered any more);
   * false when its fingerprint is among the last few seen (the same error captured twice).
   */
  boolean icmpError(long fp, long ts) {
    for (long seen : icmpRing) {
      if (seen == fp) {
        return false;
      }
    }
    icmpRing[icmpPos] = fp;
    icmpPos = (icmpPos + 1) % icmpRing.length;
    icmpErrors++;
    lastIcmpTs = Math.max(lastIcmpTs, ts);
    firstUnanswered[0] = -1;
    firstUnanswered[1] = -1;
    unanswered[0] = 0;
    unanswered[1] = 0;
    lastSeen = Math.max(lastSeen, ts);
    dirty = true;
    return true;
  }

  /** A specific cause explains this conversation's losses until {@code until} (event time). */
  public void explainLoss(long until) {
    explainedUntil = Math.max(explainedUntil, until);
  }

  /**
   * Direction d's encapsulation leaves {@code sender} with outer source {@code outerSrc}, not its
   * registered VTEP address {@code registered} (all null: no such finding).
   */
  public void wrongOuterSource(int d, String sender, String outerSrc, String registered) {
    wrongSourceSender[d] = sender;
    wrongSourceOuter[d] = outerSrc;
    wrongSourceRegistered[d] = registered;
  }

  /** Ends an evaluation pass: the facts valid only during it are cleared. */
  void clearEvaluationFacts() {
    for (int d = 0; d < 2; d++) {
      wrongOuterSource(d, null, null, null);
    }
  }

  /** The sender of direction d's wrong outer source, or null (see {@link #wrongOuterSource}). */
  public String wrongSourceSender(int d) {
    return wrongSourceSender[d];
  }

  /**
   * The wrong outer source address VTEP_MISMATCH established for direction {@code d} during this
   * evaluation pass, else for the other direction (an unanswered request's replies), else null.
   */
  public String wrongSourceVtep(int d) {
    return wrongSourceOuter[d] != null ? wrongSourceOuter[d] : wrongSourceOuter[1 - d];
  }

  public String wrongSourceOuter(int d) {
    return wrongSourceOuter[d];
  }

  public String wrongSourceRegistered(int d) {
    return wrongSourceRegistered[d];
  }

  /** Until when a specific cause explains losses; -1 for never. */
  public long lossExplainedUntil() {
    return explainedUntil;
  }

  /** The conversation id (the first flow key seen). */
  public String id() {
    return id;
  }

  /** Number of 5-tuples the conversation spans. */
  public int tupleCount() {
    return tuples.size();
  }

  public TupleInfo tuple(String key) {
    for (TupleInfo t : tuples) {
      if (t.key.equals(key)) {
        return t;
      }
    }
    return null;
  }

  /**
   * Packets of direction d were seen from {@code first} to {@code last}: the conversation's times,
   * and the other direction's requests before {@code last} are answered.
   */
  public void sawPackets(int d, long first, long last) {
    firstSeen = minKnown(firstSeen, first);
    lastSeen = Math.max(lastSeen, last);
    dirty = true;
    int o = 1 - d;
    if (firstUnanswered[o] >= 0 && last >= firstUnanswered[o]) {
      firstUnanswered[o] = -1;
      unanswered[o] = 0;
    }
  }

  public int tupleIndex(String key) {
    for (int i = 0; i < tuples.size(); i++) {
      if (tuples.get(i).key.equals(key)) {
        return i;
      }
    }
    return -1;
  }

  public int slotIndex(String hop, int tuple) {
    for (int i = 0; i < slots.size(); i++) {
      HopSlot s = slots.get(i);
      if (s.tuple == tuple && s.hop.equals(hop)) {
        return i;
      }
    }
    return -1;
  }

  public TupleInfo first() {
    return tuples.get(0);
  }

  /** Swaps initiator and responder (orientation learned late, or to match a NAT-linked peer). */
  public void flip() {
    flipSlices();
    for (TupleInfo t : tuples) {
      t.flip();
    }
    for (HopSlot s : slots) {
      s.flip();
    }
    swap(lastDirTs);
    swap(firstUnanswered);
    swap(unanswered);
    int f = tcpFlags[0];
    tcpFlags[0] = tcpFlags[1];
    tcpFlags[1] = f;
    for (Pending p : pending) {
      p.dir ^= 1;
    }
    DirLoss l = loss[0];
    loss[0] = loss[1];
    loss[1] = l;
    int n = natIndexed[0];
    natIndexed[0] = natIndexed[1];
    natIndexed[1] = n;
    StringBuilder h = new StringBuilder(history.length());
    for (char c : history.toCharArray()) {
      h.append(Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
    }
    history = h.toString();
  }

  /** Takes over another conversation's tuples, hops and counts (NAT link). Same orientation. */
  public void absorb(Conversation o, int maxHops) {
    int tupleOffset = tuples.size();
    tuples.addAll(o.tuples);
    int[] slotMap = new int[o.slots.size()];
    for (int i = 0; i < o.slots.size(); i++) {
      HopSlot s = o.slots.get(i);
      s.tuple += tupleOffset;
      if (slots.size() < maxHops) {
        slotMap[i] = slots.size();
        slots.add(s);
      } else {
        slotMap[i] = -1;
      }
    }
    for (Pending p : o.pending) {
      long mask = 0;
      for (int i = 0; i < slotMap.length; i++) {
        if ((p.mask & (1L << i)) != 0 && slotMap[i] >= 0) {
          mask |= 1L << slotMap[i];
        }
      }
      Pending mine = null;
      for (Pending q : pending) {
        if (q.fp == p.fp && q.dir == p.dir) {
          mine = q;
          break;
        }
      }
      if (mine == null) {
        p.mask = mask;
        pending.add(p);
      } else {
        mine.mask |= mask;
        mine.firstTs = Math.min(mine.firstTs, p.firstTs);
      }
    }
    firstSeen = minKnown(firstSeen, o.firstSeen);
    lastSeen = Math.max(lastSeen, o.lastSeen);
    for (int d = 0; d < 2; d++) {
      lastDirTs[d] = Math.max(lastDirTs[d], o.lastDirTs[d]);
      firstUnanswered[d] = minKnown(firstUnanswered[d], o.firstUnanswered[d]);
      unanswered[d] += o.unanswered[d];
      if (firstUnanswered[d] >= 0 && lastDirTs[1 - d] >= firstUnanswered[d]) {
        firstUnanswered[d] = -1;
        unanswered[d] = 0;
      }
      tcpFlags[d] |= o.tcpFlags[d];
      loss[d].merge(o.loss[d]);
      natIndexed[d] += o.natIndexed[d];
    }
    for (char c : o.history.toCharArray()) {
      if (history.indexOf(c) < 0) {
        history += c;
      }
    }
    rejected |= o.rejected;
    if (rejectReason == null) {
      rejectReason = o.rejectReason;
    }
    unreachable |= o.unreachable;
    requested |= o.requested;
    lastIcmpTs = Math.max(lastIcmpTs, o.lastIcmpTs);
    explainedUntil = Math.max(explainedUntil, o.explainedUntil);
    closedTs = Math.max(closedTs, o.closedTs);
    icmpErrors += o.icmpErrors;
    dnsFlow |= o.dnsFlow;
    absorbSlices(o);
    drops.absorb(o.drops);
    dirty = true;
  }

  /**
   * Puts the tuples in forward path order (the initiator's tuple first), from what the hops saw,
   * never from the order packets arrived in: see {@link #upstream}. Slots keep their indexes.
   */
  public void orderTuples() {
    int n = tuples.size();
    if (n < 2) {
      return;
    }
    Integer[] idx = new Integer[n];
    int[] wins = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
      for (int j = 0; j < n; j++) {
        if (i != j && upstream(this, i, this, j)) {
          wins[i]++;
        }
      }
    }
    java.util.Arrays.sort(
        idx,
        java.util.Comparator.comparingInt((Integer i) -> -wins[i])
            .thenComparing(i -> tuples.get(i).key));
    boolean same = true;
    for (int i = 0; i < n; i++) {
      same &= idx[i] == i;
    }
    if (same) {
      return;
    }
    int[] newIndex = new int[n];
    List<TupleInfo> ordered = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      newIndex[idx[k]] = k;
      ordered.add(tuples.get(idx[k]));
    }
    tuples.clear();
    tuples.addAll(ordered);
    for (HopSlot s : slots) {
      if (s.tuple >= 0 && s.tuple < n) {
        s.tuple = newIndex[s.tuple];
      }
    }
  }

  /**
   * Whether tuple x of conversation cx comes before tuple y of cy on the forward path (both
   * conversations in the same orientation). NAT rewrites a packet on one node, so the evidence is
   * that node's clock: on a node where both tuples were seen, forward packets appear under the
   * upstream tuple first and replies under it last. Without such evidence: the earlier first
   * sighting, then the flow key, so the answer never depends on arrival order.
   */
  public static boolean upstream(Conversation cx, int x, Conversation cy, int y) {
    for (int d = 0; d < 2; d++) {
      java.util.TreeMap<String, long[]> byNode = new java.util.TreeMap<>();
      for (HopSlot s : cx.slots) {
        if (s.tuple == x && s.dir[d].firstTs >= 0) {
          long[] v = byNode.computeIfAbsent(s.node, k -> new long[] {-1, -1});
          v[0] = minKnown(v[0], s.dir[d].firstTs);
        }
      }
      for (HopSlot s : cy.slots) {
        if (s.tuple == y && s.dir[d].firstTs >= 0) {
          long[] v = byNode.get(s.node);
          if (v != null) {
            v[1] = minKnown(v[1], s.dir[d].firstTs);
          }
        }
      }
      for (long[] v : byNode.values()) {
        if (v[0] >= 0 && v[1] >= 0 && v[0] != v[1]) {
          return d == 0 ? v[0] < v[1] : v[0] > v[1];
        }
      }
    }
    TupleInfo tx = cx.tuples.get(x);
    TupleInfo ty = cy.tuples.get(y);
    if (tx.firstSeen != ty.firstSeen) {
      return tx.firstSeen < ty.firstSeen;
    }
    return tx.key.compareTo(ty.key) < 0;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void flipSlices() {
    List<Detector<?>> ds = Detectors.prototypes();
    for (int i = 0; i < slices.length; i++) {
      if (slices[i] != null) {
        ((Detector) ds.get(i)).flip(slices[i]);
      }
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void absorbSlices(Conversation o) {
    List<Detector<?>> ds = Detectors.prototypes();
    for (int i = 0; i < slices.length; i++) {
      if (slices[i] != null) {
        ((Detector) ds.get(i)).absorb(slices[i], o.slices[i]);
      }
    }
  }

  private static void swap(long[] a) {
    long t = a[0];
    a[0] = a[1];
    a[1] = t;
  }

  public static long minKnown(long a, long b) {
    if (a < 0) {
      return b;
    }
    if (b < 0) {
      return a;
    }
    return Math.min(a, b);
  }
}
