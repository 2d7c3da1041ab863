package io.hoptrace.notify;

import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.AlertSubject;
import io.hoptrace.schema.LostAt;

/**
 * An alert record as an ArcSight Common Event Format (CEF 0) line, the payload SIEMs parse out of
 * syslog: {@code CEF:0|hoptrace|hoptrace|VERSION|TYPE|SUMMARY|SEVERITY|EXTENSIONS}.
 *
 * <p>Severity: INFO 3, WARNING 6, CRITICAL 9. Extensions (absent when the alert has no value):
 * {@code externalId} (alert id), {@code act} (FIRING / RESOLVED), {@code start} and {@code end}
 * (first / last sighting, ms since the epoch; {@code end} only when resolved), {@code rt} (last
 * sighting), {@code src}/{@code dst} (IPv4) or {@code c6a2}/{@code c6a3} (IPv6), {@code spt},
 * {@code dpt}, {@code proto}, {@code dvchost} (node), {@code cnt}, {@code msg} (the hint), and
 * labelled custom strings {@code cs1} lostAfter, {@code cs2} lostBefore, {@code cs3} direction,
 * {@code cs4} vtep, {@code cs5} communityId, {@code cs6} incidentId.
 */
public final class Cef {
  private static final String VERSION =
      orElse(Cef.class.getPackage().getImplementationVersion(), "0.1.0");

  private Cef() {}

  public static String line(Alert a) {
    StringBuilder b = new StringBuilder(512);
    b.append("CEF:0|hoptrace|hoptrace|")
        .append(header(VERSION))
        .append('|')
        .append(header(a.getType().name()))
        .append('|')
        .append(header(AlertText.summary(a)))
        .append('|')
        .append(
            switch (a.getSeverity()) {
              case INFO -> 3;
              case WARNING -> 6;
              case CRITICAL -> 9;
            })
        .append('|');
    Ext e = new Ext(b);
    e.put("externalId", a.getId());
    e.put("act", a.getStatus().name());
    e.put("start", Long.toString(a.getFirstSeen() / 1_000_000L));
    if (a.getStatus() == AlertStatus.RESOLVED) {
      e.put("end", Long.toString(a.getLastSeen() / 1_000_000L));
    }
    e.put("rt", Long.toString(a.getLastSeen() / 1_000_000L));
    AlertSubject s = a.getSubject();
    address(e, "src", "c6a2", s.getSrc());
    address(e, "dst", "c6a3", s.getDst());
    if (s.getSport() >= 0) {
      e.put("spt", Integer.toString(s.getSport()));
    }
    if (s.getDport() >= 0) {
      e.put("dpt", Integer.toString(s.getDport()));
    }
    if (s.getProto() >= 0) {
      e.put("proto", AlertText.protoName(s.getProto()).toUpperCase(java.util.Locale.ROOT));
    }
    e.put("dvchost", s.getNode());
    e.put("cnt", Long.toString(a.getCount()));
    e.put("msg", a.getHint());
    LostAt l = a.getLostAt();
    if (l != null) {
      e.labelled("cs1", "lostAfter", l.getAfter());
      e.labelled("cs2", "lostBefore", l.getBefore());
      e.labelled("cs3", "direction", l.getDirection());
    }
    e.labelled("cs4", "vtep", s.getVtep());
    if (!a.getCommunityIds().isEmpty()) {
      e.labelled("cs5", "communityId", String.join(",", a.getCommunityIds()));
    }
    e.labelled("cs6", "incidentId", a.getIncidentId());
    return b.toString();
  }

  private static void address(Ext e, String v4Key, String v6Key, String addr) {
    if (addr != null) {
      e.put(addr.indexOf(':') >= 0 ? v6Key : v4Key, addr);
    }
  }

  /** Header fields escape backslash and pipe. */
  static String header(String s) {
    return s.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ");
  }

  /** Extension values escape backslash and equals sign, and encode line breaks. */
  static String value(String s) {
    return s.replace("\\", "\\\\").replace("=", "\\=").replace("\r", "\\r").replace("\n", "\\n");
  }

  private static String orElse(String s, String dflt) {
    return s == null || s.isBlank() ? dflt : s;
  }

  /** Appends {@code key=value} pairs separated by spaces. */
  private static final class Ext {
    private final StringBuilder b;
    private boolean first = true;

    Ext(StringBuilder b) {
      this.b = b;
    }

    void put(String key, String v) {
      if (v == null || v.isBlank()) {
        return;
      }
      if (!first) {
        b.append(' ');
      }
      first = false;
      b.append(key).append('=').append(value(v));
    }

    void labelled(String key, String label, String v) {
      if (v == null || v.isBlank()) {
        return;
      }
      put(key + "Label", label);
      put(key, v);
    }
  }
}
