package io.hoptrace.cli;

import io.hoptrace.drops.DropScript;
import io.hoptrace.drops.DropWatch;
import io.hoptrace.drops.NetnsInodes;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hoptrace drops}: a standalone kernel dropwatch for overlays. */
@Command(
    name = "drops",
    mixinStandardHelpOptions = true,
    description = {
      "Watches the kernel's dropped packets (tracepoint skb:kfree_skb, Linux 5.17+) and prints,"
          + " once a second, how many packets each reason dropped per namespace, device and flow:"
          + " the inner 5-tuple for VXLAN (UDP 4789/8472), Geneve and IP-in-IP packets, with the"
          + " outer one. Counting happens in the kernel (bpftrace), so a drop storm costs bounded"
          + " CPU. Needs root and bpftrace.",
      "Exit codes: 0 done, 2 bad option or drop tracing unavailable here (not root, no bpftrace,"
          + " kernel without drop reasons, tracefs not mounted)."
    })
final class DropsCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--netns",
      paramLabel = "NS",
      description =
          "Only drops on devices of this network namespace: a name under /var/run/netns or a"
              + " path such as /proc/PID/ns/net (default: every namespace).")
  String netns;

  @Option(
      names = "--duration",
      paramLabel = "S",
      defaultValue = "0",
      description = "Stop after S seconds of watching (default: until Ctrl-C).")
  int duration;

  @Option(
      names = "--format",
      defaultValue = "table",
      description = "Output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  DropsPrinter.Format format;

  @Option(
      names = "--all-reasons",
      description =
          "Also count the reasons of normal life (NOT_SPECIFIED, SOCKET_CLOSE, TCP_CLOSE,"
              + " QUEUE_PURGE, UNIX_*), skipped by default.")
  boolean allReasons;

  @Option(
      names = "--vxlan-port",
      paramLabel = "P",
      split = ",",
      description = "UDP ports decoded as VXLAN (default: 4789,8472).")
  List<Integer> vxlanPorts;

  @Option(
      names = "--bpftrace",
      paramLabel = "PATH",
      defaultValue = "bpftrace",
      description = "The bpftrace program (default: ${DEFAULT-VALUE} on PATH).")
  String bpftrace;

  @Option(
      names = "--print-script",
      description = "Print the generated bpftrace program and exit (to inspect or run it by hand).")
  boolean printScript;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    NetnsInodes namespaces = new NetnsInodes();
    OptionalLong inode =
        netns == null ? OptionalLong.empty() : OptionalLong.of(namespaces.inode(netns));
    DropWatch.Config defaults = DropWatch.Config.defaults();
    DropWatch.Config config =
        new DropWatch.Config(
            inode,
            duration,
            allReasons,
            vxlanPorts == null ? DropScript.DEFAULT_VXLAN_PORTS : vxlanPorts,
            bpftrace,
            defaults.tracefs());
    DropWatch watch = DropWatch.prepare(config);
    if (printScript) {
      spec.commandLine().getOut().print(watch.script());
      spec.commandLine().getOut().flush();
      return 0;
    }
    DropsPrinter printer =
        new DropsPrinter(format, spec.commandLine().getOut(), namespaces::nameOf);
    Thread stop = new Thread(watch::close, "hoptrace-drops-stop");
    Runtime.getRuntime().addShutdownHook(stop);
    try {
      watch.run(
          () -> {
            err.printf(
                "hoptrace drops: watching skb:kfree_skb%s%s%s%n",
                netns == null
                    ? " in every namespace"
                    : " in netns " + netns + " (inode " + inode.getAsLong() + ")",
                allReasons ? ", all reasons" : "",
                duration > 0 ? " for " + duration + " s" : " until Ctrl-C");
            err.flush();
          },
          drops -> {
            Instant now = Instant.now();
            drops.forEach(d -> printer.print(now, d));
            printer.flush();
          });
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(stop);
      } catch (IllegalStateException e) {
        // shutting down already: the hook stops bpftrace
      }
    }
    printer.flush();
    return 0;
  }
}
