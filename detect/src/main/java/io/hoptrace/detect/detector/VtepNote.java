package io.hoptrace.detect.detector;

/** Encapsulated packets of a conversation that disagree with the VTEP inventory, unreported. */
public final class VtepNote {
  public static final int UNKNOWN_DST = 0;
  public static final int DUPLICATE_DST = 1;
  public static final int WRONG_SRC = 2;

  public int kind;
  public String outerSrc;
  public String outerDst;
  public int port;
  public String sender;
  public String registered;
  public String claimants;
  public String hop;
  public long firstTs;
  public long lastTs;
  public long unreported;
  public long lastReport = -1;

  public String aggregateKey() {
    return switch (kind) {
      case UNKNOWN_DST -> "VTEP|dst|" + outerDst;
      case DUPLICATE_DST -> "VTEP|dup|" + outerDst;
      default -> "VTEP|src|" + sender + "|" + outerSrc;
    };
  }
}
