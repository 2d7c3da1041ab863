package io.hoptrace.cli;

import io.hoptrace.pipeline.bench.BulkTransfer;
import io.hoptrace.pipeline.bench.ReduceBench;
import io.hoptrace.reduce.ReducerConfig;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code hoptrace bench reduce}: full and reduced summaries side by side on a generated bulk
 * transfer across the overlay's ten hops. The measuring is {@link ReduceBench}'s; this class holds
 * the options and prints.
 */
@Command(
    name = "reduce",
    mixinStandardHelpOptions = true,
    description = {
      "Generates --flows TCP bulk transfers of --segments full-size segments each from node-a's"
          + " pod to node-b's pod, every packet seen on the ten hops of the flannel path, and runs"
          + " it through the detection core (both stages, in process) twice: full (every packet a"
          + " summary) and reduced (the sensor's reducer in front). Prints records per captured"
          + " packet, the reducer's and the detection's CPU per captured packet in each mode, and"
          + " whether the alerts (type, subject, lost-at) are the same. The load is held in memory"
          + " (about 0.3 KB per captured packet). Exit code 1 when the alerts differ."
    })
final class ReduceBenchCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--flows",
      defaultValue = "4",
      description = "Concurrent bulk flows (default: ${DEFAULT-VALUE}).")
  int flows;

  @Option(
      names = "--segments",
      defaultValue = "10000",
      description = "Data segments per flow (default: ${DEFAULT-VALUE}).")
  int segments;

  @Option(
      names = "--loss-every",
      defaultValue = "0",
      description =
          "Lose every N-th data segment between node-b's uplink and VTEP, retransmitted 200 ms"
              + " later; 0 for none (default: ${DEFAULT-VALUE}).")
  int lossEvery;

  @Option(
      names = "--sample-rate",
      defaultValue = "0.015625",
      description = "Trajectory sample of the reducer (default: ${DEFAULT-VALUE}).")
  double sampleRate;

  @Option(
      names = "--first-packets",
      defaultValue = "8",
      description = "Packets kept at the start of each flow direction per hop (default: 8).")
  int firstPackets;

  @Override
  public Integer call() {
    if (flows < 1 || segments < 1 || lossEvery < 0) {
      throw new ParameterException(
          spec.commandLine(), "--flows and --segments must be >= 1, --loss-every >= 0");
    }
    ReducerConfig rc;
    try {
      rc = ReducerConfig.defaults().withSampleRate(sampleRate).withFirstPackets(firstPackets);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    BulkTransfer load = new BulkTransfer(flows, segments, lossEvery);
    BulkTransfer warm = new BulkTransfer(flows, Math.max(1, segments / 10), lossEvery);
    ReduceBench.Result r = ReduceBench.run(load, warm, rc);
    long p = r.packets();
    out.printf(
        Locale.ROOT,
        "bulk transfer: %d flow(s) x %d segments over 10 hops: %d captured packets%n",
        flows,
        segments,
        p);
    out.printf(
        Locale.ROOT,
        "full:    %d records (1.000 per captured packet); detection %.3f us CPU per packet%n",
        p,
        r.detectFullNs() / 1e3 / p);
    out.printf(
        Locale.ROOT,
        "reduced: %d records (%d summaries + %d counters; %.4f per captured packet); reducer %.3f"
            + " us, detection %.3f us CPU per packet (%.1fx less than full)%n",
        r.reducer().records(),
        r.reducer().summaries(),
        r.reducer().counterRecords(),
        r.recordsPerPacket(),
        r.reducerNs() / 1e3 / p,
        r.detectReducedNs() / 1e3 / p,
        (double) r.detectFullNs() / Math.max(1, r.detectReducedNs()));
    out.println("  summaries by reason: " + r.reducer().keptByReason());
    out.println("  counters by reason:  " + r.reducer().countersByReason());
    out.println(
        "alerts (type, subject, lostAt): "
            + (r.sameAlerts()
                ? "identical (" + r.fullAlerts().size() + ")"
                : "DIFFER: full " + r.fullAlerts() + " reduced " + r.reducedAlerts()));
    return r.sameAlerts() ? 0 : 1;
  }
}
