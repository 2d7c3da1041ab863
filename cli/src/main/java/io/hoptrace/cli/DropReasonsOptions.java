package io.hoptrace.cli;

import io.hoptrace.capture.InterfaceRoles;
import io.hoptrace.capture.NetnsTarget;
import io.hoptrace.discovery.AutoCapture;
import io.hoptrace.drops.DropHops;
import io.hoptrace.drops.DropReasons;
import io.hoptrace.drops.DropScript;
import io.hoptrace.drops.DropWatch;
import io.hoptrace.drops.SensorDrops;
import io.hoptrace.publish.SummaryPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintWriter;
import java.util.List;
import java.util.OptionalLong;
import java.util.TreeSet;
import picocli.CommandLine.Option;

/**
 * {@code hoptrace sensor --drop-reasons auto|on|off}: the kernel's drop reasons for this sensor's
 * hops, published on the drops topic ({@link SensorDrops}).
 */
final class DropReasonsOptions {

  @Option(
      names = "--drop-reasons",
      paramLabel = "auto|on|off",
      defaultValue = "auto",
      description =
          "Live: trace the kernel's drop reasons (tracepoint skb:kfree_skb through bpftrace) on"
              + " this node's hops and publish them to the drops topic, keyed like packets."
              + " auto (default): where the node can (root, bpftrace, BTF, Linux 5.17+), else one"
              + " line and the sensor goes on without; on: refuse to start without; off: never.")
  String dropReasons;

  /**
   * @throws IllegalArgumentException naming the option when its value is not auto, on or off
   */
  SensorDrops.Mode mode() {
    return SensorDrops.Mode.parse(dropReasons);
  }

  /**
   * With {@code on}: checks that this node can trace drop reasons, before anything is started.
   *
   * @throws DropWatchException with the one-line reason when it cannot
   */
  void checkOn(java.util.Set<Integer> vxlanPorts) {
    if (mode() == SensorDrops.Mode.ON) {
      try {
        SensorDrops.prepare(config(vxlanPorts));
      } catch (io.hoptrace.drops.DropWatchException e) {
        throw new io.hoptrace.drops.DropWatchException("--drop-reasons on: " + e.getMessage());
      }
    }
  }

  /**
   * Starts tracing for the hops {@code hops} of {@code node}, whose own interfaces are in {@code
   * nodeNetns} (null: the sensor's namespace).
   */
  SensorDrops start(
      String node,
      String nodeNetns,
      InterfaceRoles roles,
      AutoCapture.HopSource hops,
      java.util.Set<Integer> vxlanPorts,
      SummaryPublisher publisher,
      MeterRegistry registry,
      PrintWriter err) {
    OptionalLong ns =
        nodeNetns == null ? DropHops.ownInode() : DropHops.inode(NetnsTarget.named(nodeNetns));
    DropHops dropHops =
        new DropHops(
            node,
            ns.orElse(-1),
            roles,
            hops,
            System::nanoTime,
            SensorCommand.AUTO_REFRESH_MILLIS * 1_000_000L);
    return SensorDrops.start(
        mode(),
        config(vxlanPorts),
        dropHops,
        publisher::publishDrop,
        registry,
        line -> {
          err.println(line);
          err.flush();
        });
  }

  private static DropWatch.Config config(java.util.Set<Integer> vxlanPorts) {
    return new DropWatch.Config(
        OptionalLong.empty(),
        0,
        false,
        vxlanPorts.isEmpty()
            ? DropScript.DEFAULT_VXLAN_PORTS
            : List.copyOf(new TreeSet<>(vxlanPorts)),
        "bpftrace",
        DropReasons.TRACEFS);
  }
}
