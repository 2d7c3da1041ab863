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

  public Finding(String key, Kind kind, String member, Alert alert) {
    this.key = Objects.requireNonNull(key);
    this.kind = Objects.requireNonNull(kind);
    this.member = Objects.requireNonNull(member);
    this.alert = Objects.requireNonNull(alert);
  }

  /** A control marker (e.g. end of input) that carries no alert information. */
  public static Finding marker(String key) {
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
    return new Finding(key, Kind.EVENT, "marker", a);
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
