package io.hoptrace.detect;

import io.hoptrace.detect.state.ByteReader;
import io.hoptrace.detect.state.ByteWriter;
import io.hoptrace.detect.state.Codec;

/**
 * Compact bytes of an {@link Aggregate} (version 3: alerts carry their drop reason; version 2:
 * members carry their last emitted FIRING record and peak count; versions 1 and 2 are still read).
 */
final class AggregateCodec implements Codec<Aggregate> {
  private static final int VERSION = 3;

  @Override
  public byte[] encode(Aggregate a) {
    ByteWriter w = new ByteWriter(256);
    w.u8(VERSION).str(a.key);
    w.varInt(a.members.size());
    a.members.forEach(
        (k, m) -> {
          w.str(k).bool(m.latest != null);
          if (m.latest != null) {
            AlertCodec.write(w, m.latest);
          }
          w.bool(m.active).bool(m.emitted).varLong(m.firstSeen).varLong(m.lastEmitTs);
          w.varLong(m.emittedCount).str(m.text).varLong(m.events);
          w.bool(m.fired != null);
          if (m.fired != null) {
            AlertCodec.write(w, m.fired);
          }
          w.varLong(m.peakCount);
        });
    w.varLong(a.events.bucket).varLong(a.events.cur).varLong(a.events.prev).varLong(a.total);
    w.bool(a.template != null);
    if (a.template != null) {
      AlertCodec.write(w, a.template);
    }
    w.bool(a.firing).varLong(a.firstSeen).varLong(a.lastSeen).varLong(a.lastEmitTs);
    w.varLong(a.emittedCount);
    return w.toBytes();
  }

  @Override
  public Aggregate decode(byte[] bytes) {
    ByteReader r = new ByteReader(bytes);
    int version = r.u8();
    if (version < 1 || version > VERSION) {
      throw new IllegalStateException("unknown aggregate state version " + version);
    }
    Aggregate a = new Aggregate();
    a.key = r.str();
    int n = r.count();
    for (int i = 0; i < n; i++) {
      String k = r.str();
      Aggregate.Member m = new Aggregate.Member();
      if (r.bool()) {
        m.latest = AlertCodec.read(r, version >= 3);
      }
      m.active = r.bool();
      m.emitted = r.bool();
      m.firstSeen = r.varLong();
      m.lastEmitTs = r.varLong();
      m.emittedCount = r.varLong();
      m.text = r.str();
      m.events = r.varLong();
      if (version >= 2) {
        if (r.bool()) {
          m.fired = AlertCodec.read(r, version >= 3);
        }
        m.peakCount = r.varLong();
      }
      a.members.put(k, m);
    }
    a.events.bucket = r.varLong();
    a.events.cur = r.varLong();
    a.events.prev = r.varLong();
    a.total = r.varLong();
    if (r.bool()) {
      a.template = AlertCodec.read(r, version >= 3);
    }
    a.firing = r.bool();
    a.firstSeen = r.varLong();
    a.lastSeen = r.varLong();
    a.lastEmitTs = r.varLong();
    a.emittedCount = r.varLong();
    return a;
  }
}
