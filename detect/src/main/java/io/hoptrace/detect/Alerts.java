package io.hoptrace.detect;

import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.AlertSubject;
import io.hoptrace.schema.AlertType;
import io.hoptrace.schema.Evidence;
import io.hoptrace.schema.LostAt;
import io.hoptrace.schema.Severity;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Small helpers to build {@link Alert}s and their stable ids (severity from the detector). */
public final class Alerts {
  private Alerts() {}

  public static String id(String key, String member, long firstSeen) {
    return UUID.nameUUIDFromBytes(
            (key + "|" + member + "|" + firstSeen).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  /**
   * What must not change between two runs of the same input in different modes (full and reduced
   * summaries): the alert's type, subject and lost-at segment, as one line.
   */
  public static String identity(Alert a) {
    return a.getType() + " " + a.getSubject() + " lostAt=" + a.getLostAt();
  }

  /** The distinct {@link #identity} lines of these alerts, sorted. */
  public static java.util.SortedSet<String> identities(List<Alert> alerts) {
    java.util.SortedSet<String> out = new java.util.TreeSet<>();
    alerts.forEach(a -> out.add(identity(a)));
    return out;
  }

  public static Severity severity(AlertType type) {
    return io.hoptrace.detect.detector.Detectors.spec(type).severity();
  }

  public static AlertSubject flowSubject(Conversation c) {
    TupleInfo t = c.first();
    return AlertSubject.newBuilder()
        .setKind("FLOW")
        .setSrc(t.src)
        .setDst(t.dst)
        .setProto(t.proto)
        .setSport(t.sport)
        .setDport(t.dport)
        .setConversationId(c.id)
        .build();
  }

  public static List<String> communityIds(Conversation c) {
    List<String> out = new ArrayList<>();
    for (TupleInfo t : c.tuples) {
      if (t.communityId != null && !out.contains(t.communityId)) {
        out.add(t.communityId);
      }
    }
    return out;
  }

  public static Alert build(
      AlertType type,
      AlertStatus status,
      AlertSubject subject,
      LostAt lostAt,
      long count,
      String hint,
      long firstSeen,
      long lastSeen,
      List<String> hopsSeen,
      List<String> hopsMissing,
      Map<String, Long> counts,
      Map<String, String> facts,
      List<String> communityIds) {
    return Alert.newBuilder()
        .setId("")
        .setType(type)
        .setSeverity(severity(type))
        .setStatus(status)
        .setFirstSeen(firstSeen)
        .setLastSeen(lastSeen)
        .setSubject(subject)
        .setLostAt(lostAt)
        .setCount(count)
        .setHint(hint == null ? "" : hint)
        .setEvidence(
            Evidence.newBuilder()
                .setHopsSeen(new ArrayList<>(hopsSeen))
                .setHopsMissing(new ArrayList<>(hopsMissing))
                .setCounts(new LinkedHashMap<>(counts))
                .setFacts(new LinkedHashMap<>(facts))
                .setSamples(new ArrayList<>())
                .build())
        .setCommunityIds(new ArrayList<>(communityIds))
        .build();
  }

  public static LostAt lostAt(String after, String before, int d) {
    if (after == null && before == null) {
      return null;
    }
    return LostAt.newBuilder()
        .setAfter(after)
        .setBefore(before)
        .setDirection(d == 0 ? "forward" : "reverse")
        .build();
  }

  public static Alert copy(Alert a) {
    return Alert.newBuilder(a).build();
  }
}
