package io.hoptrace.detect;

import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertSubject;
import io.hoptrace.schema.AlertType;
import io.hoptrace.schema.LostAt;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/**
 * Which incident an alert belongs to: alerts that share a cause share an incident. The cause is
 * read off the alert alone, so every stage-2 task (and every engine) gives an alert the same
 * incident id without asking any other — in this order:
 *
 * <ol>
 *   <li><b>VTEP</b>: the alert names a VTEP (VTEP_MISMATCH, or a one-way flow / storm the mismatch
 *       explains: fact {@code vtep}) — one bad FDB entry or dual-IP node is one incident with the
 *       traffic it breaks;
 *   <li><b>RESOLVER</b>: DNS failures of one resolver;
 *   <li><b>SEGMENT</b>: the lost-at segment (after &gt; before) — every flow dying at one firewall,
 *       one MTU mismatch, one unreachable route;
 *   <li><b>REPORTER</b>: ICMP errors from one reporter with one code (unlocalised);
 *   <li><b>DESTINATION</b>: unlocalised retransmission storms towards one destination;
 *   <li><b>ALERT</b>: nothing shared: the alert is its own incident.
 * </ol>
 */
public final class Incidents {
  private Incidents() {}

  /** What alerts of one incident share. */
  public record Cause(String kind, String key) {
    /** The incident id: a name-based UUID of the cause, the same on every task and engine. */
    public String id() {
      return UUID.nameUUIDFromBytes(
              ("hoptrace-incident|" + kind + "|" + key).getBytes(StandardCharsets.UTF_8))
          .toString();
    }
  }

  public static Cause causeOf(Alert a) {
    AlertSubject s = a.getSubject();
    Map<String, String> facts = a.getEvidence().getFacts();
    String vtep = s.getVtep() != null ? s.getVtep() : facts.get("vtep");
    if (vtep != null) {
      return new Cause("VTEP", vtep);
    }
    if (a.getType() == AlertType.DNS_FAILURE) {
      return new Cause("RESOLVER", s.getDst() != null ? s.getDst() : facts.get("resolver"));
    }
    LostAt l = a.getLostAt();
    if (l != null && (l.getAfter() != null || l.getBefore() != null)) {
      return new Cause("SEGMENT", l.getAfter() + " > " + l.getBefore());
    }
    if (a.getType() == AlertType.ICMP_UNREACHABLE && facts.get("reporter") != null) {
      return new Cause("REPORTER", facts.get("reporter") + " code " + facts.get("code"));
    }
    if (a.getType() == AlertType.RETRANSMISSION_STORM && s.getDst() != null) {
      return new Cause("DESTINATION", s.getDst());
    }
    return new Cause("ALERT", a.getId());
  }

  /** The incident id of an alert ({@link Cause#id}). */
  public static String idOf(Alert a) {
    return causeOf(a).id();
  }

  /**
   * How well an alert type states a cause for the others of its incident (lower: better): a VTEP
   * mismatch explains the one-way flows it breaks, a path MTU explains the retransmissions, ...
   */
  static int rank(AlertType t) {
    return switch (t) {
      case VTEP_MISMATCH -> 0;
      case MTU_BLACKHOLE -> 1;
      case ICMP_UNREACHABLE -> 2;
      case DNS_FAILURE -> 3;
      case ONE_WAY -> 4;
      case RETRANSMISSION_STORM -> 5;
    };
  }
}
