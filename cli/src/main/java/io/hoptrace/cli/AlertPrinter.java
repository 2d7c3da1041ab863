package io.hoptrace.cli;

import io.hoptrace.notify.AlertText;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertSubject;
import io.hoptrace.schema.Incident;
import io.hoptrace.schema.LostAt;
import java.time.InstantSource;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * One readable line per alert record, for {@code demo}: time, status, type, severity, subject,
 * lost-at segment and hint, e.g.
 *
 * <pre>
 * 18:04:11.969 FIRING   ONE_WAY          CRITICAL tcp 10.244.0.2:40011 -> 10.244.1.2:8080  lost at node-b/ens33 -> node-b/flannel.1  (3)  VXLAN ... never ...
 * </pre>
 */
public final class AlertPrinter {
  private final DateTimeFormatter clock;
  private final InstantSource wallClock;

  /** Lines start with the wall-clock time the alert record arrived (replays move event time). */
  public AlertPrinter(ZoneId zone) {
    this(zone, InstantSource.system());
  }

  AlertPrinter(ZoneId zone, InstantSource wallClock) {
    this.clock = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(zone);
    this.wallClock = wallClock;
  }

  public String line(Alert a) {
    StringBuilder b = new StringBuilder();
    b.append(clock.format(wallClock.instant())).append(' ');
    b.append(pad(a.getStatus().name(), 8)).append(' ');
    b.append(pad(a.getType().name(), 20)).append(' ');
    b.append(pad(a.getSeverity().name(), 8)).append(' ');
    b.append(subject(a.getSubject()));
    LostAt l = a.getLostAt();
    if (l != null && (l.getAfter() != null || l.getBefore() != null)) {
      b.append("  lost at ")
          .append(l.getAfter() == null ? "?" : l.getAfter())
          .append(" -> ")
          .append(l.getBefore() == null ? "?" : l.getBefore());
      if (l.getDirection() != null) {
        b.append(" (").append(l.getDirection()).append(')');
      }
    }
    b.append("  count ").append(a.getCount());
    if (a.getHint() != null && !a.getHint().isBlank()) {
      b.append("  hint: ").append(a.getHint());
    }
    return b.toString();
  }

  /**
   * One line per incident record: time, {@code INCIDENT}, status, severity, what its alerts share,
   * how many alerts, and the cause.
   */
  public String incidentLine(Incident i) {
    return clock.format(wallClock.instant()) + ' ' + incidentText(i);
  }

  /** {@link #incidentLine} without the time. */
  public static String incidentText(Incident i) {
    StringBuilder b = new StringBuilder();
    b.append(pad("INCIDENT", 9)).append(pad(i.getStatus().name(), 8)).append(' ');
    b.append(pad(i.getSeverity().name(), 8)).append(' ');
    b.append(i.getCauseKind().toLowerCase(java.util.Locale.ROOT))
        .append(' ')
        .append(i.getCauseKey());
    b.append("  ").append(i.getAlertIds().size()).append(" alert(s)");
    b.append("  cause: ").append(i.getCause());
    return b.toString();
  }

  /** {@code tcp 10.0.0.1:1234 -> 10.0.0.2:80}, or the subject's node / VTEP / destination. */
  public static String subject(AlertSubject s) {
    return AlertText.subject(s);
  }

  static String protoName(int proto) {
    return AlertText.protoName(proto);
  }

  private static String pad(String s, int n) {
    return s.length() >= n ? s : s + " ".repeat(n - s.length());
  }
}
