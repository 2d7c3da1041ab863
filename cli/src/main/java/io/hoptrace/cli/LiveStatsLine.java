package io.hoptrace.cli;

import io.hoptrace.capture.LiveStats;
import io.hoptrace.publish.SummaryPublisher;
import java.util.List;

/** The live sensor's periodic status line: records sent, per-hop packets and drops, the spool. */
final class LiveStatsLine {
  private LiveStatsLine() {}

  static String of(List<LiveStats> stats, SummaryPublisher publisher) {
    StringBuilder sb = new StringBuilder();
    for (LiveStats s : stats) {
      sb.append(
          String.format(
              " %s: %d pkts, %s dropped;",
              s.hop().id(), s.delivered(), s.dropped() < 0 ? "n/a" : Long.toString(s.dropped())));
    }
    sb.append(SpoolOptions.describe(publisher));
    return String.format(
        "sent %d (%d counters), failed %d;%s",
        publisher.sent(), publisher.countersSent(), publisher.failed(), sb);
  }
}
