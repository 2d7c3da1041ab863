package io.hoptrace.detect;

import io.hoptrace.detect.state.ByteReader;
import io.hoptrace.detect.state.ByteWriter;
import io.hoptrace.detect.state.Codec;
import io.hoptrace.schema.InterfaceRole;

/** Hand-rolled compact bytes for {@link Conversation} (version 1). */
final class ConversationCodec implements Codec<Conversation> {
  private static final int VERSION = 1;
  private static final InterfaceRole[] ROLES = InterfaceRole.values();

  @Override
  public byte[] encode(Conversation c) {
    ByteWriter w = new ByteWriter(256 + c.slots.size() * 96 + c.pending.size() * 24);
    w.u8(VERSION).str(c.id);
    w.varInt(c.tuples.size());
    for (TupleInfo t : c.tuples) {
      w.str(t.key).varInt(t.ipVersion).varInt(t.proto).str(t.src).varInt(t.sport).str(t.dst);
      w.varInt(t.dport).varLong(t.firstSeen).str(t.communityId).bool(t.certain);
    }
    w.varInt(c.slots.size());
    for (HopSlot s : c.slots) {
      w.str(s.hop).str(s.node).str(s.pod).u8(s.role.ordinal()).varInt(s.tuple);
      writeDir(w, s.dir[0]);
      writeDir(w, s.dir[1]);
    }
    w.varLong(c.firstSeen).varLong(c.lastSeen);
    for (int d = 0; d < 2; d++) {
      w.varLong(c.lastDirTs[d]).varLong(c.firstUnanswered[d]).varLong(c.unanswered[d]);
      w.varInt(c.tcpFlags[d]).varInt(c.natIndexed[d]);
      writeLoss(w, c.loss[d]);
    }
    w.str(c.history).bool(c.rejected).str(c.rejectReason).bool(c.unreachable);
    w.bool(c.requested).varLong(c.lastIcmpTs).varLong(c.explainedUntil);
    w.varLong(c.closedTs);
    w.varInt(c.pending.size());
    for (Pending p : c.pending) {
      w.fixedLong(p.fp).u8(p.dir).varInt(p.size).bool(p.df).varLong(p.firstTs).varLong(p.mask);
    }
    for (long fp : c.icmpRing) {
      w.fixedLong(fp);
    }
    w.varInt(c.icmpPos).varLong(c.icmpErrors).varInt(c.icmpMtu).varLong(c.icmpMtuTs);
    w.str(c.icmpReporter).bool(c.dnsFlow);
    w.varInt(c.dns.size());
    for (DnsQuery q : c.dns) {
      w.varInt(q.id).varLong(q.ts).u8(q.state);
    }
    w.varInt(c.vtep.size());
    for (VtepNote v : c.vtep) {
      w.u8(v.kind).str(v.outerSrc).str(v.outerDst).varInt(v.port).str(v.sender);
      w.str(v.registered).str(v.claimants).str(v.hop).varLong(v.firstTs).varLong(v.lastTs);
      w.varLong(v.unreported).varLong(v.lastReport);
    }
    for (FlowAlert a : c.alerts) {
      w.bool(a.active).varLong(a.firstSeen).varLong(a.count).varLong(a.reportedCount);
      w.varLong(a.lastReport);
      w.str(a.reportedKey);
    }
    w.varLong(c.lastFlowEmit).bool(c.dirty).varLong(c.deadline);
    return w.toBytes();
  }

  @Override
  public Conversation decode(byte[] bytes) {
    ByteReader r = new ByteReader(bytes);
    int version = r.u8();
    if (version != VERSION) {
      throw new IllegalStateException("unknown conversation state version " + version);
    }
    Conversation c = new Conversation();
    c.id = r.str();
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
      t.firstSeen = r.varLong();
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
      s.role = ROLES[r.u8()];
      s.tuple = r.varInt();
      readDir(r, s.dir[0]);
      readDir(r, s.dir[1]);
      c.slots.add(s);
    }
    c.firstSeen = r.varLong();
    c.lastSeen = r.varLong();
    for (int d = 0; d < 2; d++) {
      c.lastDirTs[d] = r.varLong();
      c.firstUnanswered[d] = r.varLong();
      c.unanswered[d] = r.varLong();
      c.tcpFlags[d] = r.varInt();
      c.natIndexed[d] = r.varInt();
      readLoss(r, c.loss[d]);
    }
    c.history = r.str();
    c.rejected = r.bool();
    c.rejectReason = r.str();
    c.unreachable = r.bool();
    c.requested = r.bool();
    c.lastIcmpTs = r.varLong();
    c.explainedUntil = r.varLong();
    c.closedTs = r.varLong();
    int np = r.count();
    for (int i = 0; i < np; i++) {
      Pending p = new Pending();
      p.fp = r.fixedLong();
      p.dir = r.u8();
      p.size = r.varInt();
      p.df = r.bool();
      p.firstTs = r.varLong();
      p.mask = r.varLong();
      c.pending.add(p);
    }
    for (int i = 0; i < c.icmpRing.length; i++) {
      c.icmpRing[i] = r.fixedLong();
    }
    c.icmpPos = r.varInt();
    c.icmpErrors = r.varLong();
    c.icmpMtu = r.varInt();
    c.icmpMtuTs = r.varLong();
    c.icmpReporter = r.str();
    c.dnsFlow = r.bool();
    int nd = r.count();
    for (int i = 0; i < nd; i++) {
      c.dns.add(new DnsQuery(r.varInt(), r.varLong(), r.u8()));
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
      v.firstTs = r.varLong();
      v.lastTs = r.varLong();
      v.unreported = r.varLong();
      v.lastReport = r.varLong();
      c.vtep.add(v);
    }
    for (FlowAlert a : c.alerts) {
      a.active = r.bool();
      a.firstSeen = r.varLong();
      a.count = r.varLong();
      a.reportedCount = r.varLong();
      a.lastReport = r.varLong();
      a.reportedKey = r.str();
    }
    c.lastFlowEmit = r.varLong();
    c.dirty = r.bool();
    c.deadline = r.varLong();
    return c;
  }

  private static void writeWin(ByteWriter w, Win x) {
    w.varLong(x.bucket).varLong(x.cur).varLong(x.prev);
  }

  private static void readWin(ByteReader r, Win x) {
    x.bucket = r.varLong();
    x.cur = r.varLong();
    x.prev = r.varLong();
  }

  private static void writeDir(ByteWriter w, HopDir h) {
    w.varLong(h.packets).varLong(h.bytes).varLong(h.firstTs).varLong(h.lastTs);
    w.varLong(h.retrans).varLong(h.fastRetrans).varLong(h.spurious);
    writeWin(w, h.segWin);
    writeWin(w, h.retransWin);
    writeWin(w, h.largeDfRetransWin);
    w.varLong(h.nextSeq).varLong(h.lastAck).varInt(h.lastWin).varInt(h.dupAcks);
    w.varLong(h.lastAckTs);
    for (int i = 0; i < HopDir.RING; i++) {
      w.fixedLong(h.ringFp[i]).varLong(h.ringTs[i]);
    }
    w.varInt(h.ringPos).varInt(h.encapType).str(h.outerSrc).str(h.outerDst);
    w.varInt(h.outerDport);
  }

  private static void readDir(ByteReader r, HopDir h) {
    h.packets = r.varLong();
    h.bytes = r.varLong();
    h.firstTs = r.varLong();
    h.lastTs = r.varLong();
    h.retrans = r.varLong();
    h.fastRetrans = r.varLong();
    h.spurious = r.varLong();
    readWin(r, h.segWin);
    readWin(r, h.retransWin);
    readWin(r, h.largeDfRetransWin);
    h.nextSeq = r.varLong();
    h.lastAck = r.varLong();
    h.lastWin = r.varInt();
    h.dupAcks = r.varInt();
    h.lastAckTs = r.varLong();
    for (int i = 0; i < HopDir.RING; i++) {
      h.ringFp[i] = r.fixedLong();
      h.ringTs[i] = r.varLong();
    }
    h.ringPos = r.varInt();
    h.encapType = r.varInt();
    h.outerSrc = r.str();
    h.outerDst = r.str();
    h.outerDport = r.varInt();
  }

  private static void writeLoss(ByteWriter w, DirLoss l) {
    writeWin(w, l.delivered);
    writeWin(w, l.lost);
    writeWin(w, l.lostLarge);
    writeWin(w, l.lostSmall);
    writeWin(w, l.deliveredSmall);
    w.varLong(l.lastLostTs).varLong(l.totalLost).str(l.lostAfter).str(l.lostBefore);
    w.varInt(l.maxDeliveredSize).varInt(l.minLostSize).str(l.lastHop);
  }

  private static void readLoss(ByteReader r, DirLoss l) {
    readWin(r, l.delivered);
    readWin(r, l.lost);
    readWin(r, l.lostLarge);
    readWin(r, l.lostSmall);
    readWin(r, l.deliveredSmall);
    l.lastLostTs = r.varLong();
    l.totalLost = r.varLong();
    l.lostAfter = r.str();
    l.lostBefore = r.str();
    l.maxDeliveredSize = r.varInt();
    l.minLostSize = r.varInt();
    l.lastHop = r.str();
  }
}
