package io.hoptrace.detect;

import io.hoptrace.schema.Alert;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stage-2 state of one alert subject (aggregation key): its members' conditions or its event
 * counts, and what was emitted. Held by the host through {@link Codecs#aggregate()}.
 */
public final class Aggregate {
  /** One member (conversation, client) of a subject. */
  static final class Member {
    /** The member's latest finding (FIRING), emitted or not. */
    Alert latest;

    /** The last FIRING record emitted for the member: what its RESOLVED record repeats. */
    Alert fired;

    /** The highest count the member's findings reported while active. */
    long peakCount;

    boolean active;
    boolean emitted;
    long firstSeen = -1;
    long lastEmitTs = -1;
    long emittedCount;
    String text;
    long events;
  }

  String key;
  final Map<String, Member> members = new TreeMap<>();
  final Win events = new Win();
  long total;
  Alert template;
  boolean firing;
  long firstSeen = -1;
  long lastSeen = -1;
  long lastEmitTs = -1;
  long emittedCount;

  public String key() {
    return key;
  }

  boolean isIdle() {
    return !firing && members.isEmpty() && total == 0;
  }
}
