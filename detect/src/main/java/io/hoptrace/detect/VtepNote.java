package io.hoptrace.detect;

/** Encapsulated packets of a conversation that disagree with the VTEP inventory, unreported. */
final class VtepNote {
  static final int UNKNOWN_DST = 0;
  static final int DUPLICATE_DST = 1;
  static final int WRONG_SRC = 2;

  int kind;
  String outerSrc;
  String outerDst;
  int port;
  String sender;
  String registered;
  String claimants;
  String hop;
  long firstTs;
  long lastTs;
  long unreported;
  long lastReport = -1;

  String aggregateKey() {
    return switch (kind) {
      case UNKNOWN_DST -> "VTEP|dst|" + outerDst;
      case DUPLICATE_DST -> "VTEP|dup|" + outerDst;
      default -> "VTEP|src|" + sender + "|" + outerSrc;
    };
  }
}
