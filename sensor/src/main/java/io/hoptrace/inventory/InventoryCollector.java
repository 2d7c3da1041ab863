package io.hoptrace.inventory;

import io.hoptrace.capture.InterfaceRoles;
import io.hoptrace.schema.NodeInventory;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a node's network with iproute2 ({@code ip -d -j link}, {@code ip -j addr}, {@code ip -j
 * route}, and per VXLAN/Geneve device {@code bridge -j fdb show dev} and {@code ip -j neigh show
 * dev}), optionally inside a named network namespace ({@code ip -n NS}), and parses it with {@link
 * InventoryParser}. FDB and neighbour tables are best effort: when they cannot be read the VTEP is
 * reported without them.
 */
public final class InventoryCollector implements InventorySource {

  private static final Logger LOG = LoggerFactory.getLogger(InventoryCollector.class);

  /**
   * Where and how to collect.
   *
   * @param node node name (key of the inventory)
   * @param netns named network namespace to read ({@code ip -n}), or null for the sensor's own
   * @param pod the pod owning {@code netns}, or null (then interfaces keep their name-based roles)
   * @param timeout per command; default {@value #DEFAULT_TIMEOUT_SECONDS} s
   */
  public record Target(String node, String netns, String pod, Duration timeout) {
    public static final long DEFAULT_TIMEOUT_SECONDS = 10;

    public Target {
      if (node == null || node.isBlank()) {
        throw new IllegalArgumentException("node must be set");
      }
      if (netns != null && (netns.isBlank() || netns.contains("/"))) {
        throw new IllegalArgumentException("bad network namespace name: '" + netns + "'");
      }
      timeout = timeout == null ? Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS) : timeout;
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + timeout);
      }
    }

    /** The node's own namespace, default timeout. */
    public static Target node(String node) {
      return new Target(node, null, null, null);
    }
  }

  private final Target target;
  private final InventoryParser parser;
  private final CommandRunner runner;
  private final InstantSource clock;

  public InventoryCollector(
      Target target, InterfaceRoles roles, CommandRunner runner, InstantSource clock) {
    this.target = Objects.requireNonNull(target, "target");
    this.parser = new InventoryParser(Objects.requireNonNull(roles, "roles"));
    this.runner = Objects.requireNonNull(runner, "runner");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Collects with real processes and the system clock. */
  public static InventoryCollector system(Target target, InterfaceRoles roles) {
    return new InventoryCollector(
        target, roles, new ProcessCommandRunner(), InstantSource.system());
  }

  /** The raw command output, before parsing. */
  public InventorySources sources() throws InventoryException {
    String link = run(ip("-d", "-j", "link", "show"));
    String addr = run(ip("-j", "addr", "show"));
    String route = run(ip("-j", "route", "show"));
    try {
      // IPv6 routes (a dual-stack node's pod routes over its second VTEP, flannel-v6.1)
      route = InventoryParser.concatArrays(route, run(ip("-6", "-j", "route", "show")));
    } catch (InventoryException e) {
      LOG.debug("IPv6 routes not readable: {}", e.getMessage());
    }
    Map<String, String> fdb = new HashMap<>();
    Map<String, String> neigh = new HashMap<>();
    for (String dev : parser.vtepDevices(link)) {
      try {
        fdb.put(dev, run(bridge("-j", "fdb", "show", "dev", dev)));
      } catch (InventoryException e) {
        LOG.debug("FDB of {} not readable: {}", dev, e.getMessage());
      }
      try {
        neigh.put(dev, run(ip("-j", "neigh", "show", "dev", dev)));
      } catch (InventoryException e) {
        LOG.debug("neighbours of {} not readable: {}", dev, e.getMessage());
      }
    }
    return new InventorySources(link, addr, route, fdb, neigh);
  }

  @Override
  public NodeInventory collect() throws InventoryException {
    InventorySources s = sources();
    Instant now = clock.instant();
    long ts = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    return parser.parse(target.node(), target.pod(), ts, s);
  }

  private String run(List<String> cmd) throws InventoryException {
    return runner.run(cmd, target.timeout());
  }

  List<String> ip(String... args) {
    return command("ip", args);
  }

  List<String> bridge(String... args) {
    return command("bridge", args);
  }

  private List<String> command(String prog, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(prog);
    if (target.netns() != null) {
      cmd.add("-n");
      cmd.add(target.netns());
    }
    cmd.addAll(List.of(args));
    return cmd;
  }
}
