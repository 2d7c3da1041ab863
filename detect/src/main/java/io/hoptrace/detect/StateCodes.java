package io.hoptrace.detect;

import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.AlertType;
import io.hoptrace.schema.EncapType;
import io.hoptrace.schema.InterfaceRole;
import io.hoptrace.schema.Severity;

/**
 * The explicit codes under which the state codecs persist enums (stores, changelogs, findings).
 * Persisting {@code ordinal()} would silently re-map stored state when a symbol is added or moved
 * in the Avro schema; these codes are fixed instead.
 *
 * <p><b>Compatibility.</b> Every code below is the enum's ordinal at the time the codecs wrote
 * ordinals (before this class existed), so state written then decodes identically. A new symbol
 * gets the next unused code; a code is never reused. The switches have no {@code default}: adding a
 * symbol to an enum fails compilation here until it has a code. Unknown codes throw.
 */
public final class StateCodes {
  private static final InterfaceRole[] ROLES = {
    InterfaceRole.POD, // 0
    InterfaceRole.VETH, // 1
    InterfaceRole.BRIDGE, // 2
    InterfaceRole.VTEP, // 3
    InterfaceRole.TUNNEL, // 4
    InterfaceRole.UPLINK, // 5
    InterfaceRole.ANY, // 6
  };
  private static final EncapType[] ENCAPS = {
    EncapType.VXLAN, // 0
    EncapType.GENEVE, // 1
    EncapType.IPIP, // 2
    EncapType.GRE, // 3
    EncapType.UNKNOWN, // 4
  };
  private static final AlertType[] ALERT_TYPES = {
    AlertType.ONE_WAY, // 0
    AlertType.RETRANSMISSION_STORM, // 1
    AlertType.ICMP_UNREACHABLE, // 2
    AlertType.VTEP_MISMATCH, // 3
    AlertType.MTU_BLACKHOLE, // 4
    AlertType.DNS_FAILURE, // 5
  };
  private static final Severity[] SEVERITIES = {
    Severity.INFO, // 0
    Severity.WARNING, // 1
    Severity.CRITICAL, // 2
  };
  private static final AlertStatus[] STATUSES = {
    AlertStatus.FIRING, // 0
    AlertStatus.RESOLVED, // 1
  };
  private static final Finding.Kind[] KINDS = {
    Finding.Kind.STATE, // 0
    Finding.Kind.EVENT, // 1
  };

  private StateCodes() {}

  public static int role(InterfaceRole r) {
    return switch (r) {
      case POD -> 0;
      case VETH -> 1;
      case BRIDGE -> 2;
      case VTEP -> 3;
      case TUNNEL -> 4;
      case UPLINK -> 5;
      case ANY -> 6;
    };
  }

  public static InterfaceRole role(int code) {
    return decode(ROLES, code, "interface role");
  }

  /** The code of an encapsulation type; {@code HopDir.encapType} holds it (-1: none). */
  public static int encap(EncapType e) {
    return switch (e) {
      case VXLAN -> 0;
      case GENEVE -> 1;
      case IPIP -> 2;
      case GRE -> 3;
      case UNKNOWN -> 4;
    };
  }

  public static EncapType encap(int code) {
    return decode(ENCAPS, code, "encapsulation type");
  }

  static int alertType(AlertType t) {
    return switch (t) {
      case ONE_WAY -> 0;
      case RETRANSMISSION_STORM -> 1;
      case ICMP_UNREACHABLE -> 2;
      case VTEP_MISMATCH -> 3;
      case MTU_BLACKHOLE -> 4;
      case DNS_FAILURE -> 5;
    };
  }

  static AlertType alertType(int code) {
    return decode(ALERT_TYPES, code, "alert type");
  }

  static int severity(Severity s) {
    return switch (s) {
      case INFO -> 0;
      case WARNING -> 1;
      case CRITICAL -> 2;
    };
  }

  static Severity severity(int code) {
    return decode(SEVERITIES, code, "severity");
  }

  static int status(AlertStatus s) {
    return switch (s) {
      case FIRING -> 0;
      case RESOLVED -> 1;
    };
  }

  static AlertStatus status(int code) {
    return decode(STATUSES, code, "alert status");
  }

  static int kind(Finding.Kind k) {
    return switch (k) {
      case STATE -> 0;
      case EVENT -> 1;
    };
  }

  static Finding.Kind kind(int code) {
    return decode(KINDS, code, "finding kind");
  }

  private static <E> E decode(E[] byCode, int code, String what) {
    if (code < 0 || code >= byCode.length) {
      throw new IllegalStateException("unknown " + what + " code " + code);
    }
    return byCode[code];
  }
}
