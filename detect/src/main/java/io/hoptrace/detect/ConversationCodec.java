package io.hoptrace.detect;

import io.hoptrace.detect.state.ByteReader;
import io.hoptrace.detect.state.ByteWriter;
import io.hoptrace.detect.state.Codec;

/**
 * Hand-rolled compact bytes for {@link Conversation}.
 *
 * <p>Version 2 (written): every timestamp as the difference to the conversation's first sighting
 * ({@code -1}, "none", in one byte), an unused rate window in one byte, and of each hop direction's
 * duplicate-capture ring only the filled entries. A conversation is written at every commit it was
 * touched in, so its size is the bulk of the job's changelog bytes. Version 1 (every field at full
 * width) is still read, so state written by an earlier version restores.
 */
final class ConversationCodec implements Codec<Conversation> {
  private static final int VERSION_1 = 1;
  private static final int VERSION = 2;

  /** Writes timestamps relative to {@link #base}; {@code -1} is 0, {@code base + d} is zz(d)+1. */
  private static final class Out {
    final ByteWriter w;
    final long base;

    Out(ByteWriter w, long base) {
      this.w = w;
      this.base = base;
    }

    Out ts(long v) {
      if (v == -1) {
        w.uvarLong(0);
        return this;
      }
      long zz = ByteWriter.zigzag(v - base);
      if (zz == -1L) {
        throw new IllegalStateException("timestamp " + v + " out of range for base " + base);
      }
      w.uvarLong(zz + 1);
      return this;
    }
  }

  /** Reads what {@link Out} wrote (version 2) or full-width varints (version 1). */
  private static final class In {
    final ByteReader r;
    final boolean v1;
    long base;

    In(ByteReader r, boolean v1) {
      this.r = r;
      this.v1 = v1;
    }

    long ts() {
      if (v1) {
        return r.varLong();
      }
      long u = r.uvarLong();
      if (u == 0) {
        return -1;
      }
      return ByteReader.unzigzag(u - 1) + base;
    }
  }

  @Override
  public byte[] encode(Conversation c) {
    ByteWriter w = new ByteWriter(256 + c.slots.size() * 64 + c.pending.size() * 16);
    Out o = new Out(w, c.firstSeen);
    w.u8(VERSION).str(c.id).varLong(c.firstSeen);
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
    w.varInt(c.icmpPos).varLong(c.icmpErrors).varInt(c.icmpMtu);
    o.ts(c.icmpMtuTs);
    w.str(c.icmpReporter).bool(c.dnsFlow);
    w.varInt(c.dns.size());
    for (DnsQuery q : c.dns) {
      w.varInt(q.id);
      o.ts(q.ts);
      w.u8(q.state);
    }
    w.varInt(c.vtep.size());
    for (VtepNote v : c.vtep) {
      w.u8(v.kind).str(v.outerSrc).str(v.outerDst).varInt(v.port).str(v.sender);
      w.str(v.registered).str(v.claimants).str(v.hop);
      o.ts(v.firstTs).ts(v.lastTs);
      w.varLong(v.unreported);
      o.ts(v.lastReport);
    }
    for (FlowAlert a : c.alerts) {
      w.bool(a.active);
      o.ts(a.firstSeen);
      w.varLong(a.count).varLong(a.reportedCount);
      o.ts(a.lastReport);
      w.str(a.reportedKey);
    }
    o.ts(c.lastFlowEmit);
    w.bool(c.dirty);
    o.ts(c.deadline);
    return w.toBytes();
  }

  @Override
  public Conversation decode(byte[] bytes) {
    ByteReader r = new ByteReader(bytes);
    int version = r.u8();
    if (version != VERSION && version != VERSION_1) {
      throw new IllegalStateException("unknown conversation state version " + version);
    }
    In in = new In(r, version == VERSION_1);
    Conversation c = new Conversation();
    c.id = r.str();
    if (!in.v1) {
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
    if (in.v1) {
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
    c.icmpMtu = r.varInt();
    c.icmpMtuTs = in.ts();
    c.icmpReporter = r.str();
    c.dnsFlow = r.bool();
    int nd = r.count();
    for (int i = 0; i < nd; i++) {
      int id = r.varInt();
      long ts = in.ts();
      c.dns.add(new DnsQuery(id, ts, r.u8()));
    }
    int nv = r.count();
    for (int i = 0; i < nv; i++) {
      VtepNote v = new VtepNote();
      v.kind = r.u8();
      v.outerSrc = r.str();
      v.outerDst = r.str();
      v.port = r.varInt();
      v.sender = r.str();
      v.registered = r.str();
      v.claimants = r.str();
      v.hop = r.str();
      v.firstTs = in.ts();
      v.lastTs = in.ts();
      v.unreported = r.varLong();
      v.lastReport = in.ts();
      c.vtep.add(v);
    }
    for (FlowAlert a : c.alerts) {
      a.active = r.bool();
      a.firstSeen = in.ts();
      a.count = r.varLong();
      a.reportedCount = r.varLong();
      a.lastReport = in.ts();
      a.reportedKey = r.str();
    }
    c.lastFlowEmit = in.ts();
    c.dirty = r.bool();
    c.deadline = in.ts();
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

  private static void readWin(In in, Win x) {
    ByteReader r = in.r;
    if (!in.v1 && r.u8() == 0) {
      x.bucket = Long.MIN_VALUE;
      x.cur = 0;
      x.prev = 0;
      return;
    }
    x.bucket = r.varLong();
    x.cur = r.varLong();
    x.prev = r.varLong();
  }

  private static void writeDir(Out o, HopDir h) {
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
    // encapType is a StateCodes.encap code (the former EncapType ordinal), -1 for none
    w.varInt(h.ringPos).varInt(h.encapType).str(h.outerSrc).str(h.outerDst);
    w.varInt(h.outerDport);
  }

  private static void readDir(In in, HopDir h) {
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
    if (in.v1) {
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

  private static void writeLoss(Out o, DirLoss l) {
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

  private static void readLoss(In in, DirLoss l) {
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
