package io.hoptrace.detect.detector;

import io.hoptrace.detect.DetectionOutput;
import io.hoptrace.detect.HopInfo;
import io.hoptrace.detect.InventoryIndex;
import io.hoptrace.detect.PathPlanner;
import java.util.List;

/** What the core lends detectors: outputs, the inventory, path planning, shared settings. */
public interface DetectorContext {
  /** Where findings (and flow records) go. */
  DetectionOutput out();

  /** The current inventory (nodes, addresses, VTEPs, MTUs). */
  InventoryIndex inventory();

  /** A path planner over the current inventory and the hops sensors reported. */
  PathPlanner planner();

  /** The hops sensors reported on a node, or null. */
  List<HopInfo> hopsOf(String node);

  /** Current event time of the core (ns). */
  long now();

  /** Bounded lateness of sensors (ns): how long a packet waits for its hop match. */
  long latenessNanos();

  /** The window (ns) the core keeps settled-loss counters ({@code DirLoss}) over. */
  long lossWindowNanos();

  /** Whether decoded DNS flows may be ONE_WAY ({@code oneway.dns}). */
  boolean oneWayDns();

  /** Inherently one-way UDP (tunnels, syslog...): never a request/response flow. */
  boolean tunnelFlow(io.hoptrace.detect.Conversation c);

  /** Counts an occurrence in the core's statistics. */
  void count(String what);
}
