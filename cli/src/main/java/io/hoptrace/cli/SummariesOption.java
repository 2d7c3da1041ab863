package io.hoptrace.cli;

import io.hoptrace.reduce.SummaryMode;
import picocli.CommandLine.Option;

/**
 * {@code --summaries reduced|full}: what a sensor (or a replay, as its sensors would) publishes on
 * the packets topic (docs/detection.md, "Reduced summaries").
 */
final class SummariesOption {

  @Option(
      names = "--summaries",
      paramLabel = "reduced|full",
      description =
          "What the sensors publish: 'reduced' (packets detection needs one by one, the rest as"
              + " per hop/flow/direction counters) or 'full' (one summary per packet per hop)."
              + " Alerts are the same (docs/detection.md, \"Reduced summaries\"). Default:"
              + " reduced.")
  String value;

  /** The mode given, or {@link SummaryMode#DEFAULT}; a bad value names the option. */
  SummaryMode mode() {
    return value == null ? SummaryMode.DEFAULT : SummaryMode.parse("--summaries", value);
  }
}
