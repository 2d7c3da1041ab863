package io.hoptrace.detect;

import io.hoptrace.detect.state.ByteReader;
import io.hoptrace.detect.state.ByteWriter;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertSubject;
import io.hoptrace.schema.DropReason;
import io.hoptrace.schema.Evidence;
import io.hoptrace.schema.LostAt;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compact bytes of an {@link Alert} (no Avro runtime needed), used inside state and findings. The
 * drop reason is written last; the containers' versions say whether bytes have it ({@link
 * #read(ByteReader, boolean)}).
 */
final class AlertCodec {
  private AlertCodec() {}

  static void write(ByteWriter w, Alert a) {
    // enums as explicit codes (StateCodes: today's codes are the former ordinals)
    w.str(a.getId()).u8(StateCodes.alertType(a.getType())).u8(StateCodes.severity(a.getSeverity()));
    w.u8(StateCodes.status(a.getStatus())).varLong(a.getFirstSeen()).varLong(a.getLastSeen());
    AlertSubject s = a.getSubject();
    w.str(s.getKind()).str(s.getSrc()).str(s.getDst()).varInt(s.getProto());
    w.varInt(s.getSport()).varInt(s.getDport()).str(s.getNode()).str(s.getVtep());
    w.str(s.getConversationId());
    LostAt l = a.getLostAt();
    w.bool(l != null);
    if (l != null) {
      w.str(l.getAfter()).str(l.getBefore()).str(l.getDirection());
    }
    w.varLong(a.getCount()).str(a.getHint());
    Evidence e = a.getEvidence();
    strings(w, e.getHopsSeen());
    strings(w, e.getHopsMissing());
    w.varInt(e.getCounts().size());
    e.getCounts().forEach((k, v) -> w.str(k).varLong(v));
    w.varInt(e.getFacts().size());
    e.getFacts().forEach((k, v) -> w.str(k).str(v));
    strings(w, e.getSamples());
    strings(w, a.getCommunityIds());
    DropReason d = a.getDropReason();
    w.bool(d != null);
    if (d != null) {
      w.str(d.getReason()).varInt(d.getCode()).str(d.getHop()).varLong(d.getCount());
      w.bool(d.getAtLostSegment());
    }
  }

  /** Reads what {@link #write} wrote; {@code withDropReason}: bytes of a version that has it. */
  static Alert read(ByteReader r, boolean withDropReason) {
    Alert.Builder b =
        Alert.newBuilder()
            .setId(r.str())
            .setType(StateCodes.alertType(r.u8()))
            .setSeverity(StateCodes.severity(r.u8()))
            .setStatus(StateCodes.status(r.u8()))
            .setFirstSeen(r.varLong())
            .setLastSeen(r.varLong());
    AlertSubject s =
        AlertSubject.newBuilder()
            .setKind(r.str())
            .setSrc(r.str())
            .setDst(r.str())
            .setProto(r.varInt())
            .setSport(r.varInt())
            .setDport(r.varInt())
            .setNode(r.str())
            .setVtep(r.str())
            .setConversationId(r.str())
            .build();
    b.setSubject(s);
    if (r.bool()) {
      b.setLostAt(
          LostAt.newBuilder().setAfter(r.str()).setBefore(r.str()).setDirection(r.str()).build());
    } else {
      b.setLostAt(null);
    }
    b.setCount(r.varLong()).setHint(r.str());
    List<String> seen = strings(r);
    List<String> missing = strings(r);
    Map<String, Long> counts = new LinkedHashMap<>();
    int nc = r.count();
    for (int i = 0; i < nc; i++) {
      counts.put(r.str(), r.varLong());
    }
    Map<String, String> facts = new LinkedHashMap<>();
    int nf = r.count();
    for (int i = 0; i < nf; i++) {
      facts.put(r.str(), r.str());
    }
    List<String> samples = strings(r);
    b.setEvidence(
        Evidence.newBuilder()
            .setHopsSeen(seen)
            .setHopsMissing(missing)
            .setCounts(counts)
            .setFacts(facts)
            .setSamples(samples)
            .build());
    b.setCommunityIds(strings(r));
    if (withDropReason && r.bool()) {
      b.setDropReason(
          DropReason.newBuilder()
              .setReason(r.str())
              .setCode(r.varInt())
              .setHop(r.str())
              .setCount(r.varLong())
              .setAtLostSegment(r.bool())
              .build());
    }
    return b.build();
  }

  private static void strings(ByteWriter w, List<String> l) {
    w.varInt(l.size());
    for (String s : l) {
      w.str(s);
    }
  }

  private static List<String> strings(ByteReader r) {
    int n = r.count();
    List<String> l = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      l.add(r.str());
    }
    return l;
  }
}
