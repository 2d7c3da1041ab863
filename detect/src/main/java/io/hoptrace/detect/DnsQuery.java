package io.hoptrace.detect;

/** A DNS query of a conversation: pending, answered or failed. */
final class DnsQuery {
  static final int PENDING = 0;
  static final int ANSWERED = 1;
  static final int FAILED = 2;

  int id;
  long ts;
  int state;

  DnsQuery() {}

  DnsQuery(int id, long ts, int state) {
    this.id = id;
    this.ts = ts;
    this.state = state;
  }
}
