package io.hoptrace.detect;

import io.hoptrace.detect.state.ByteReader;
import io.hoptrace.detect.state.StateIn;
import io.hoptrace.detect.state.StateOut;
import io.hoptrace.schema.KernelDrop;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel drops sensors reported for one conversation ({@link KernelDrop} records of the drops
 * topic), summed per hop and reason: what {@link DropJoin} tells alerts. At most {@link #MAX}
 * notes; a new (hop, reason) past it replaces the one seen longest ago. Drop records are wall-clock
 * stamped by the sensors and do not move event time. Notes age ({@link
 * DetectionConfig#DROPS_MAX_AGE_MS}): a note whose last drop is older than the limit before a
 * record's interval is forgotten when the record is added, so an old drop is never summed into a
 * new one, and {@link DropJoin} skips notes that old before the alert's time.
 */
public final class DropNotes {
  /** Notes kept per conversation. */
  static final int MAX = 8;

  /** The drops of one reason at one hop. */
  public static final class Note {
    public String hop;
    public String node;
    public String iface;
    public int code;
    public String reason;
    public long count;
    public long firstTs;
    public long lastTs;

    /** VXLAN, GENEVE, IPIP, or null when the dropped packets were not encapsulated. */
    public String encap;

    /** The outer source address when encapsulated, else null. */
    public String outerSrc;
  }

  final List<Note> notes = new ArrayList<>(2);

  /** Every note, in the order first seen. */
  public List<Note> notes() {
    return notes;
  }

  public boolean isEmpty() {
    return notes.isEmpty();
  }

  /**
   * Adds one record's drops after forgetting the notes whose last drop is more than {@code
   * maxAgeNanos} before the record's interval.
   */
  public void add(KernelDrop k, long maxAgeNanos) {
    forgetBefore(k.getIntervalStartNanos() - maxAgeNanos);
    add(k);
  }

  /** Whether a note's last drop is at or after {@code cutoffNanos} (wall clock of the sensors). */
  static boolean fresh(Note n, long cutoffNanos) {
    return n.lastTs >= cutoffNanos;
  }

  /** Forgets the notes whose last drop is before {@code cutoffNanos}. */
  void forgetBefore(long cutoffNanos) {
    notes.removeIf(n -> !fresh(n, cutoffNanos));
  }

  /** Adds one record's drops. */
  public void add(KernelDrop k) {
    Note n = new Note();
    n.hop = k.getHop();
    n.node = k.getNode();
    n.iface = k.getIface();
    n.code = k.getReasonCode();
    n.reason = k.getReason();
    n.count = Math.max(0, k.getCount());
    n.firstTs = k.getIntervalStartNanos();
    n.lastTs = k.getIntervalEndNanos();
    if (k.getEncapType() != null) {
      n.encap = k.getEncapType().name();
      n.outerSrc = k.getOuter() != null ? k.getOuter().getSrc() : null;
    }
    merge(n);
  }

  /** Takes over the notes of a conversation merged into this one (NAT link). */
  void absorb(DropNotes o) {
    o.notes.forEach(this::merge);
  }

  /** Adds a note's drops to the note of its hop and reason, or keeps it as a new one. */
  private void merge(Note g) {
    Note n = find(g.hop, g.code);
    if (n == null) {
      if (notes.size() >= MAX) {
        notes.remove(oldest());
      }
      notes.add(g);
      return;
    }
    n.count += g.count;
    n.firstTs = Math.min(n.firstTs, g.firstTs);
    n.lastTs = Math.max(n.lastTs, g.lastTs);
    n.encap = g.encap != null ? g.encap : n.encap;
    n.outerSrc = g.outerSrc != null ? g.outerSrc : n.outerSrc;
  }

  private Note find(String hop, int code) {
    for (Note n : notes) {
      if (n.code == code && n.hop.equals(hop)) {
        return n;
      }
    }
    return null;
  }

  private int oldest() {
    int o = 0;
    for (int i = 1; i < notes.size(); i++) {
      if (notes.get(i).lastTs < notes.get(o).lastTs) {
        o = i;
      }
    }
    return o;
  }

  /** Version of {@link #write}'s bytes. */
  static final int VERSION = 1;

  /** Timestamps are absolute (wall clock of the sensors, not relative to the conversation). */
  void write(StateOut o) {
    o.w.varInt(notes.size());
    for (Note n : notes) {
      o.w.str(n.hop).str(n.node).str(n.iface).varInt(n.code).str(n.reason).varLong(n.count);
      o.w.varLong(n.firstTs).varLong(n.lastTs).str(n.encap).str(n.outerSrc);
    }
  }

  void read(StateIn in, int version) {
    if (version != VERSION) {
      throw new IllegalStateException("unknown version " + version + " of the drop notes");
    }
    ByteReader r = in.r;
    notes.clear();
    int n = r.count();
    for (int i = 0; i < n; i++) {
      Note x = new Note();
      x.hop = r.str();
      x.node = r.str();
      x.iface = r.str();
      x.code = r.varInt();
      x.reason = r.str();
      x.count = r.varLong();
      x.firstTs = r.varLong();
      x.lastTs = r.varLong();
      x.encap = r.str();
      x.outerSrc = r.str();
      notes.add(x);
    }
  }
}
