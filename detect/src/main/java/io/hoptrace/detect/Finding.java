package io.hoptrace.detect;

import io.hoptrace.schema.Alert;
import java.util.Objects;

/**
 * What stage 1 (per conversation) tells stage 2 (per alert subject). {@link #key()} is the
 * aggregation subject the host partitions by; {@link #member()} the conversation (or client) the
 * finding is about; {@link #alert()} carries the details (type, subject, lost-at, hint, evidence).
 *
 * <ul>
 *   <li>{@link Kind#STATE}: the member's condition is active ({@code FIRING}) or cleared ({@code
 *       RESOLVED}); {@code count} is the member's total.
 *   <li>{@link Kind#EVENT}: {@code count} occurrences happened at {@code lastSeen} (ICMP errors,
 *       failed DNS queries, mismatching encapsulated packets); stage 2 counts them in its window.
 * </ul>
 *
 * <p>Stage 1 stamps each finding with the event time it was made at ({@link #asOf()}: the time the
 * conversation was judged at, which depends only on the conversation's own packets and deadlines)
 * and a sequence number that orders the findings of one stage-1 task ({@link #seq()}); stage 2
 * processes findings from several tasks in that order ({@link FindingOrder}).
 */
public final class Finding {
  /** Whether a finding is a condition (state) or occurrences (event). */
  public enum Kind {
    STATE,
    EVENT
  }

  private final String key;
  private final Kind kind;
  private final String member;
  private final Alert alert;
  private final long asOf;
  private final long seq;

  /** An unstamped finding: made at its alert's last-seen time. */
  public Finding(String key, Kind kind, String member, Alert alert) {
    this(key, kind, member, alert, alert.getLastSeen(), 0);
  }

  public Finding(String key, Kind kind, String member, Alert alert, long asOf, long seq) {
    this.key = Objects.requireNonNull(key);
    this.kind = Objects.requireNonNull(kind);
    this.member = Objects.requireNonNull(member);
    this.alert = Objects.requireNonNull(alert);
    this.asOf = asOf;
    this.seq = seq;
  }

  /** This finding as made at event time {@code asOf}, the {@code seq}-th of its task. */
  public Finding stamped(long asOf, long seq) {
    return new Finding(key, kind, member, alert, asOf, seq);
  }

  /** A control marker (e.g. end of input) that carries no alert information. */
  public static Finding marker(String key) {
    return marker(key, "marker", 0);
  }

  /**
   * A control marker of the host: e.g. the progress of stage-1 task {@code member} up to event time
   * {@code asOf}.
   */
  public static Finding marker(String key, String member, long asOf) {
    Alert a =
        Alerts.build(
            io.hoptrace.schema.AlertType.ONE_WAY,
            io.hoptrace.schema.AlertStatus.RESOLVED,
            io.hoptrace.schema.AlertSubject.newBuilder().setKind("MARKER").build(),
            null,
            0,
            "",
            0,
            0,
            java.util.List.of(),
            java.util.List.of(),
            java.util.Map.of(),
            java.util.Map.of(),
            java.util.List.of());
    return new Finding(key, Kind.EVENT, member, a, asOf, 0);
  }

  public String key() {
    return key;
  }

  public Kind kind() {
    return kind;
  }

  public String member() {
    return member;
  }

  public Alert alert() {
    return alert;
  }

  /** The event time (ns) stage 1 made this finding at. */
  public long asOf() {
    return asOf;
  }

  /** Position among the findings of the stage-1 task that made it (orders one member's). */
  public long seq() {
    return seq;
  }

  @Override
  public String toString() {
    return kind
        + " "
        + key
        + " member="
        + member
        + " "
        + alert.getStatus()
        + " x"
        + alert.getCount();
  }
}
