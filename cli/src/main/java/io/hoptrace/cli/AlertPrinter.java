package io.hoptrace.cli;

import io.hoptrace.contract.IpProto;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertSubject;
import io.hoptrace.schema.LostAt;
import java.time.Instant;
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

  /** {@code tcp 10.0.0.1:1234 -> 10.0.0.2:80}, or the subject's node / VTEP / destination. */
  public static String subject(AlertSubject s) {
    StringBuilder b = new StringBuilder();
    if (s.getSrc() != null || s.getDst() != null) {
      if (s.getProto() >= 0) {
        b.append(protoName(s.getProto())).append(' ');
      }
      if (s.getSrc() != null) {
        b.append(endpoint(s.getSrc(), s.getSport())).append(" -> ");
      }
      b.append(endpoint(s.getDst(), s.getDport()));
    }
    if (s.getNode() != null) {
      b.append(b.length() > 0 ? " " : "").append("node ").append(s.getNode());
    }
    if (s.getVtep() != null) {
      b.append(b.length() > 0 ? " " : "").append("vtep ").append(s.getVtep());
    }
    if (b.length() == 0) {
      b.append(s.getKind());
    }
    return b.toString();
  }

  private static String endpoint(String addr, int port) {
    if (addr == null) {
      return "?";
    }
    if (port < 0) {
      return addr;
    }
    return addr.indexOf(':') >= 0 ? "[" + addr + "]:" + port : addr + ":" + port;
  }

  static String protoName(int proto) {
    String name = IpProto.name(proto);
    return name != null ? name : "proto " + proto;
  }

  private static Instant instant(long nanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }

  private static String pad(String s, int n) {
    return s.length() >= n ? s : s + " ".repeat(n - s.length());
  }
}
