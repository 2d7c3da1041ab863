package io.hoptrace.detect.detector;

/** A DNS query of a conversation: pending, answered or failed. */
public final class DnsQuery {
  public static final int PENDING = 0;
  public static final int ANSWERED = 1;
  public static final int FAILED = 2;

  public int id;
  public long ts;
  public int state;

  public DnsQuery() {}

  public DnsQuery(int id, long ts, int state) {
    this.id = id;
    this.ts = ts;
    this.state = state;
  }
}
