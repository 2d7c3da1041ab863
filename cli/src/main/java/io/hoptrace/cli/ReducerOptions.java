package io.hoptrace.cli;

import io.hoptrace.reduce.ReducerConfig;
import picocli.CommandLine.Option;

/** The sensor's reducer settings in reduced mode ({@code --summaries reduced}). */
final class ReducerOptions {

  @Option(
      names = "--max-flows",
      paramLabel = "N",
      description =
          "Reduced mode: entries (hop and flow key) in the flow table before the least recently"
              + " used is evicted with its counters (default: "
              + ReducerConfig.DEFAULT_MAX_FLOWS
              + ": ~73 MB of heap, 1.12 KB per entry).")
  Integer maxFlows;

  @Option(
      names = "--sample-rate",
      paramLabel = "RATE",
      description =
          "Reduced mode: share of packets also sent one by one, chosen by the packet fingerprint"
              + " (the same on every hop), 0 to 1 (default: 1/64).")
  Double sampleRate;

  /** The settings; a value out of range fails naming its option. */
  ReducerConfig config() {
    ReducerConfig c = ReducerConfig.defaults();
    if (maxFlows != null) {
      c = c.withMaxFlows(maxFlows);
    }
    if (sampleRate != null) {
      c = c.withSampleRate(sampleRate);
    }
    return c;
  }
}
