package io.hoptrace.notify;

import io.hoptrace.contract.IpProto;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertSubject;
import io.hoptrace.schema.LostAt;
import java.time.Instant;

/** The short texts every alert sink and printer shows for an alert, defined once. */
public final class AlertText {
  private AlertText() {}

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

  /** {@code node-b/ens33 -> node-b/flannel.1 (forward)}, or null when the alert has no segment. */
  public static String lostAt(Alert a) {
    LostAt l = a.getLostAt();
    if (l == null || (l.getAfter() == null && l.getBefore() == null)) {
      return null;
    }
    String s =
        (l.getAfter() == null ? "?" : l.getAfter())
            + " -> "
            + (l.getBefore() == null ? "?" : l.getBefore());
    return l.getDirection() == null ? s : s + " (" + l.getDirection() + ")";
  }

  /** One line: {@code ONE_WAY tcp a:1 -> b:2, lost at X -> Y (forward)}. */
  public static String summary(Alert a) {
    String where = lostAt(a);
    return a.getType().name()
        + " "
        + subject(a.getSubject())
        + (where == null ? "" : ", lost at " + where);
  }

  /** Protocol name ({@code tcp}, {@code icmp}, ...) or {@code proto N}. */
  public static String protoName(int proto) {
    String name = IpProto.name(proto);
    return name != null ? name : "proto " + proto;
  }

  /** An event time (ns since the epoch) as an instant. */
  public static Instant instant(long nanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
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
}
