package io.hoptrace.detect;

import io.hoptrace.detect.detector.Detector;
import io.hoptrace.detect.detector.Detectors;
import io.hoptrace.detect.detector.DnsFailureDetector;
import io.hoptrace.detect.detector.FlowAlert;
import io.hoptrace.detect.detector.MtuBlackholeDetector;
import io.hoptrace.detect.detector.OneWayDetector;
import io.hoptrace.detect.detector.RetransmissionStormDetector;
import io.hoptrace.detect.detector.SliceCodec;
import io.hoptrace.detect.detector.VtepMismatchDetector;
import io.hoptrace.detect.state.ByteReader;
import io.hoptrace.detect.state.ByteWriter;
import io.hoptrace.detect.state.Codec;
import io.hoptrace.detect.state.StateIn;
import io.hoptrace.detect.state.StateOut;
import java.util.List;

/**
 * Hand-rolled compact bytes for {@link Conversation}.
 *
 * <p>Written: version 2 in the sliced layout (version byte, 0, layout 1): the core's fields as in
 * version 2 without any detector's, then one framed slice per stateful detector (its {@code
 * Detector.stateCode()}, its {@code SliceCodec.version()}, length, bytes), so a detector changes or
 * adds its state without a new conversation format. Still read: version 2 and version 1 with the
 * detectors' fields inline, migrated into the slices.
 *
 * <p>Version 2: every timestamp as the difference to the conversation's first sighting ({@code -1},
 * "none", in one byte), an unused rate window in one byte, and of each hop direction's
 * duplicate-capture ring only the filled entries. A conversation is written at every commit it was
 * touched in, so its size is the bulk of the job's changelog bytes. Version 1 (every field at full
 * width) is still read, so state written by an earlier version restores.
 */
final class ConversationCodec implements Codec<Conversation> {
  private static final int VERSION_1 = 1;
  private static final int VERSION = 2;

  /**
   * After the version byte: the conversation is in the sliced layout (the byte after the version is
   * never 0 in the layouts before it, where the non-empty id follows).
   */
  private static final int SLICED = 0;

  /** The sliced layout's own version. */
  private static final int LAYOUT = 1;

  private static final List<Detector<?>> DETECTORS = Detectors.prototypes();

  /** Slice indexes of the detectors whose state layouts 1 and 2 held inline. */
  private static final int ONE_WAY = indexOf(OneWayDetector.class);

  private static final int STORM = indexOf(RetransmissionStormDetector.class);
  private static final int MTU = indexOf(MtuBlackholeDetector.class);
  private static final int DNS = indexOf(DnsFailureDetector.class);
  private static final int VTEP = indexOf(VtepMismatchDetector.class);

  private static int indexOf(Class<?> type) {
    for (int i = 0; i < DETECTORS.size(); i++) {
      if (type.isInstance(DETECTORS.get(i))) {
        return i;
      }
    }
    throw new IllegalStateException(type + " is not registered");
  }

  /**
   * The slice code of the core's own {@link DropNotes}, framed like a detector's slice (so a
   * conversation without drops is written as before, and a reader that predates them skips them).
   * Detectors' codes are small; this one is reserved for the core.
   */
  static final int DROP_NOTES_CODE = 1000;

  /**
   * Each stateful detector's slice: its code, its codec's version, its length, its bytes; then the
   * drop notes, if any, framed alike.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void writeSlices(StateOut o, Conversation c) {
    int n = c.drops.isEmpty() ? 0 : 1;
    for (Object slice : c.slices) {
      n += slice != null ? 1 : 0;
    }
    o.w.varInt(n);
    for (int i = 0; i < c.slices.length; i++) {
      if (c.slices[i] == null) {
        continue;
      }
      Detector<?> d = DETECTORS.get(i);
      SliceCodec codec = d.codec();
      o.w.varInt(d.stateCode()).u8(codec.version());
      int start = o.w.position();
      codec.write(o, c.slices[i]);
      o.w.insertLength(start);
    }
    if (!c.drops.isEmpty()) {
      o.w.varInt(DROP_NOTES_CODE).u8(DropNotes.VERSION);
      int start = o.w.position();
      c.drops.write(o);
      o.w.insertLength(start);
    }
  }

  /** Reads the slices; a slice of a detector no longer registered is skipped. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void readSlices(StateIn in, Conversation c) {
    ByteReader r = in.r;
    int n = r.count();
    for (int k = 0; k < n; k++) {
      int code = r.varInt();
      int version = r.u8();
      int len = (int) r.uvarLong();
      if (code == DROP_NOTES_CODE) {
        int start = r.position();
        c.drops.read(in, version);
        if (r.position() - start != len) {
          throw new IllegalStateException("corrupt conversation state: drop notes");
        }
        continue;
      }
      int i = indexOfCode(code);
      if (i < 0 || c.slices[i] == null) {
        r.skip(len);
        continue;
      }
      SliceCodec codec = DETECTORS.get(i).codec();
      if (version < 1 || version > codec.version()) {
        throw new IllegalStateException("unknown version " + version + " of state slice " + code);
      }
      int start = r.position();
      codec.read(in, version, c.slices[i]);
      if (r.position() - start != len) {
        throw new IllegalStateException("corrupt conversation state: slice " + code);
      }
    }
  }

  private static int indexOfCode(int code) {
    for (int i = 0; i < DETECTORS.size(); i++) {
      if (DETECTORS.get(i).stateCode() == code) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public byte[] encode(Conversation c) {
    ByteWriter w = new ByteWriter(256 + c.slots.size() * 64 + c.pending.size() * 16);
    StateOut o = new StateOut(w, c.firstSeen);
    w.u8(VERSION).u8(SLICED).u8(LAYOUT).str(c.id).varLong(c.firstSeen);
    w.varInt(c.tuples.size());
    for (TupleInfo t : c.tuples) {
      w.str(t.key).varInt(t.ipVersion).varInt(t.proto).str(t.src).varInt(t.sport).str(t.dst);
      w.varInt(t.dport);
      o.ts(t.firstSeen);
      w.str(t.communityId).bool(t.certain);
    }
    w.varInt(c.slots.size());
    for (HopSlot s : c.slots) {
      w.str(s.hop).str(s.node).str(s.pod).u8(StateCodes.role(s.role)).varInt(s.tuple);
      writeDir(o, s.dir[0]);
      writeDir(o, s.dir[1]);
    }
    o.ts(c.lastSeen);
    for (int d = 0; d < 2; d++) {
      o.ts(c.lastDirTs[d]).ts(c.firstUnanswered[d]);
      w.varLong(c.unanswered[d]);
      w.varInt(c.tcpFlags[d]).varInt(c.natIndexed[d]);
      writeLoss(o, c.loss[d]);
    }
    w.str(c.history).bool(c.rejected).str(c.rejectReason).bool(c.unreachable);
    w.bool(c.requested);
    o.ts(c.lastIcmpTs).ts(c.explainedUntil).ts(c.closedTs);
    w.varInt(c.pending.size());
    for (Pending p : c.pending) {
      w.fixedLong(p.fp).u8(p.dir).varInt(p.size).bool(p.df);
      o.ts(p.firstTs);
      w.varLong(p.mask);
    }
    for (long fp : c.icmpRing) {
      w.fixedLong(fp);
    }
    w.varInt(c.icmpPos).varLong(c.icmpErrors);
    w.bool(c.dnsFlow);
    o.ts(c.lastFlowEmit);
    w.bool(c.dirty);
    o.ts(c.deadline);
    writeSlices(o, c);
    return w.toBytes();
  }

  @Override
  public Conversation decode(byte[] bytes) {
    ByteReader r = new ByteReader(bytes);
    byte[] buf = bytes;
    int version = r.u8();
    if (version != VERSION && version != VERSION_1) {
      throw new IllegalStateException("unknown conversation state version " + version);
    }
    StateIn in = new StateIn(r, version == VERSION_1);
    boolean sliced = false;
    if (version == VERSION && buf.length > 1 && buf[1] == SLICED) {
      r.u8();
      int layout = r.u8();
      if (layout != LAYOUT) {
        throw new IllegalStateException("unknown conversation layout " + layout);
      }
      sliced = true;
    }
    Conversation c = new Conversation();
    c.id = r.str();
    if (!in.fullWidth) {
      c.firstSeen = r.varLong();
      in.base = c.firstSeen;
    }
    int nt = r.count();
    for (int i = 0; i < nt; i++) {
      TupleInfo t = new TupleInfo();
      t.key = r.str();
      t.ipVersion = r.varInt();
      t.proto = r.varInt();
      t.src = r.str();
      t.sport = r.varInt();
      t.dst = r.str();
      t.dport = r.varInt();
      t.firstSeen = in.ts();
      t.communityId = r.str();
      t.certain = r.bool();
      c.tuples.add(t);
    }
    int ns = r.count();
    for (int i = 0; i < ns; i++) {
      HopSlot s = new HopSlot();
      s.hop = r.str();
      s.node = r.str();
      s.pod = r.str();
      s.role = StateCodes.role(r.u8()); // explicit code = the former ordinal
      s.tuple = r.varInt();
      readDir(in, s.dir[0]);
      readDir(in, s.dir[1]);
      c.slots.add(s);
    }
    if (in.fullWidth) {
      c.firstSeen = r.varLong();
    }
    c.lastSeen = in.ts();
    for (int d = 0; d < 2; d++) {
      c.lastDirTs[d] = in.ts();
      c.firstUnanswered[d] = in.ts();
      c.unanswered[d] = r.varLong();
      c.tcpFlags[d] = r.varInt();
      c.natIndexed[d] = r.varInt();
      readLoss(in, c.loss[d]);
    }
    c.history = r.str();
    c.rejected = r.bool();
    c.rejectReason = r.str();
    c.unreachable = r.bool();
    c.requested = r.bool();
    c.lastIcmpTs = in.ts();
    c.explainedUntil = in.ts();
    c.closedTs = in.ts();
    int np = r.count();
    for (int i = 0; i < np; i++) {
      Pending p = new Pending();
      p.fp = r.fixedLong();
      p.dir = r.u8();
      p.size = r.varInt();
      p.df = r.bool();
      p.firstTs = in.ts();
      p.mask = r.varLong();
      c.pending.add(p);
    }
    for (int i = 0; i < c.icmpRing.length; i++) {
      c.icmpRing[i] = r.fixedLong();
    }
    c.icmpPos = r.varInt();
    c.icmpErrors = r.varLong();
    MtuBlackholeDetector.State mtu = null;
    if (!sliced) {
      mtu = (MtuBlackholeDetector.State) c.slices[MTU];
      mtu.icmpMtu = r.varInt();
      mtu.icmpMtuTs = in.ts();
      mtu.icmpReporter = r.str();
    }
    c.dnsFlow = r.bool();
    if (!sliced) {
      DnsFailureDetector.readQueries(in, (DnsFailureDetector.State) c.slices[DNS]);
      VtepMismatchDetector.readNotes(in, (VtepMismatchDetector.State) c.slices[VTEP]);
      ((FlowAlert) c.slices[ONE_WAY]).read(in);
      ((FlowAlert) c.slices[STORM]).read(in);
      mtu.alert.read(in);
    }
    c.lastFlowEmit = in.ts();
    c.dirty = r.bool();
    c.deadline = in.ts();
    if (sliced) {
      readSlices(in, c);
    }
    return c;
  }

  /** An unused window ({@code bucket} unset, nothing counted) is one 0 byte. */
  private static void writeWin(ByteWriter w, Win x) {
    if (x.bucket == Long.MIN_VALUE && x.cur == 0 && x.prev == 0) {
      w.u8(0);
      return;
    }
    w.u8(1).varLong(x.bucket).varLong(x.cur).varLong(x.prev);
  }

  private static void readWin(StateIn in, Win x) {
    ByteReader r = in.r;
    if (!in.fullWidth && r.u8() == 0) {
      x.bucket = Long.MIN_VALUE;
      x.cur = 0;
      x.prev = 0;
      return;
    }
    x.bucket = r.varLong();
    x.cur = r.varLong();
    x.prev = r.varLong();
  }

  private static void writeDir(StateOut o, HopDir h) {
    ByteWriter w = o.w;
    w.varLong(h.packets).varLong(h.bytes);
    o.ts(h.firstTs).ts(h.lastTs);
    w.varLong(h.retrans).varLong(h.fastRetrans).varLong(h.spurious);
    writeWin(w, h.segWin);
    writeWin(w, h.retransWin);
    writeWin(w, h.largeDfRetransWin);
    w.varLong(h.nextSeq).varLong(h.lastAck).varInt(h.lastWin).varInt(h.dupAcks);
    o.ts(h.lastAckTs);
    int filled = 0;
    for (int i = 0; i < HopDir.RING; i++) {
      filled += h.ringFp[i] != 0 ? 1 : 0;
    }
    w.u8(filled);
    for (int i = 0; i < HopDir.RING; i++) {
      if (h.ringFp[i] != 0) {
        w.u8(i).fixedLong(h.ringFp[i]);
        o.ts(h.ringTs[i]);
      }
    }
    w.varInt(h.ringPos).varInt(h.encapType).str(h.outerSrc).str(h.outerDst);
    w.varInt(h.outerDport);
  }

  private static void readDir(StateIn in, HopDir h) {
    ByteReader r = in.r;
    h.packets = r.varLong();
    h.bytes = r.varLong();
    h.firstTs = in.ts();
    h.lastTs = in.ts();
    h.retrans = r.varLong();
    h.fastRetrans = r.varLong();
    h.spurious = r.varLong();
    readWin(in, h.segWin);
    readWin(in, h.retransWin);
    readWin(in, h.largeDfRetransWin);
    h.nextSeq = r.varLong();
    h.lastAck = r.varLong();
    h.lastWin = r.varInt();
    h.dupAcks = r.varInt();
    h.lastAckTs = in.ts();
    if (in.fullWidth) {
      for (int i = 0; i < HopDir.RING; i++) {
        h.ringFp[i] = r.fixedLong();
        h.ringTs[i] = r.varLong();
      }
    } else {
      int filled = r.u8();
      if (filled > HopDir.RING) {
        throw new IllegalStateException("corrupt conversation state: ring of " + filled);
      }
      for (int n = 0; n < filled; n++) {
        int i = r.u8();
        if (i >= HopDir.RING) {
          throw new IllegalStateException("corrupt conversation state: ring slot " + i);
        }
        h.ringFp[i] = r.fixedLong();
        h.ringTs[i] = in.ts();
      }
    }
    h.ringPos = r.varInt();
    h.encapType = r.varInt();
    h.outerSrc = r.str();
    h.outerDst = r.str();
    h.outerDport = r.varInt();
  }

  private static void writeLoss(StateOut o, DirLoss l) {
    ByteWriter w = o.w;
    writeWin(w, l.delivered);
    writeWin(w, l.lost);
    writeWin(w, l.lostLarge);
    writeWin(w, l.lostSmall);
    writeWin(w, l.deliveredSmall);
    o.ts(l.lastLostTs);
    w.varLong(l.totalLost).str(l.lostAfter).str(l.lostBefore);
    w.varInt(l.maxDeliveredSize).varInt(l.minLostSize).str(l.lastHop);
  }

  private static void readLoss(StateIn in, DirLoss l) {
    ByteReader r = in.r;
    readWin(in, l.delivered);
    readWin(in, l.lost);
    readWin(in, l.lostLarge);
    readWin(in, l.lostSmall);
    readWin(in, l.deliveredSmall);
    l.lastLostTs = in.ts();
    l.totalLost = r.varLong();
    l.lostAfter = r.str();
    l.lostBefore = r.str();
    l.maxDeliveredSize = r.varInt();
    l.minLostSize = r.varInt();
    l.lastHop = r.str();
  }
}
