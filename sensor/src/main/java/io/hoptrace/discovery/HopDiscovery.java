package io.hoptrace.discovery;

import io.hoptrace.capture.HopContext;
import io.hoptrace.capture.InterfaceRoles;
import io.hoptrace.capture.NetnsTarget;
import io.hoptrace.discovery.NodeLinkParser.NodeLink;
import io.hoptrace.discovery.NodeLinkParser.PeerRef;
import io.hoptrace.discovery.PodLinkParser.PodLink;
import io.hoptrace.inventory.CommandRunner;
import io.hoptrace.inventory.InventoryException;
import io.hoptrace.inventory.InventoryParser;
import io.hoptrace.inventory.ProcessCommandRunner;
import io.hoptrace.schema.InterfaceRole;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the hops of a node with iproute2: the node's uplinks, VTEPs/tunnels, bridges and pod-side
 * veths ({@link NodeLinkParser}, read in the sensor's namespace or a named one), and each pod's own
 * interface, the peer of a pod-side veth, read inside the pod's namespace ({@link PodLinkParser}).
 *
 * <p>The pod's namespace: the veth's {@code link_netnsid} named by {@code ip -j netns list-id} (a
 * namespace under /var/run/netns, as containerd and CRI-O create them); for an id without a name,
 * every other namespace of the host ({@link NamespaceIndex}: /proc/PID/ns/net, one per inode) is
 * read and the one whose interface pairs with the veth (ifindex and {@code link_index} both match)
 * is taken, if exactly one does. Pods are named after their namespace ({@link PodNaming}); the
 * Kubernetes API is not asked (yet).
 *
 * <p>A pod namespace that cannot be read (the pod just went away) is skipped with a warning; the
 * node's own namespace must be readable.
 *
 * <p>A pod's namespace is read once, when its veth appears: the pod hop found for a veth (its
 * ifindex, the peer's ifindex and the namespace id, which pair them for the veth's life) is kept
 * while the veth exists, so discovering again every 2 s reads only the node's namespace (five
 * {@code ip} commands), not two more per pod. A pod hop found without an IP yet (the CNI had not
 * configured it) is read again next time.
 */
public final class HopDiscovery {
  private static final Logger LOG = LoggerFactory.getLogger(HopDiscovery.class);

  /**
   * What to discover.
   *
   * @param node the node's name (first hop-id component)
   * @param netns the named namespace holding the node's interfaces, or null for the sensor's own
   * @param timeout per command
   */
  public record Target(String node, String netns, Duration timeout) {
    public Target {
      if (node == null || node.isBlank() || node.contains("/")) {
        throw new IllegalArgumentException("bad node name: '" + node + "'");
      }
      if (netns != null && (netns.isBlank() || netns.contains("/"))) {
        throw new IllegalArgumentException("bad network namespace name: '" + netns + "'");
      }
      timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
    }
  }

  private final Target target;
  private final NodeLinkParser nodeParser;
  private final PodNaming naming;
  private final ExcludeFilter exclude;
  private final CommandRunner runner;
  private final NamespaceIndex namespaces;
  private Map<PeerRef, DiscoveredHop> podsByVeth = Map.of();

  public HopDiscovery(
      Target target,
      InterfaceRoles roles,
      PodNaming naming,
      ExcludeFilter exclude,
      CommandRunner runner,
      NamespaceIndex namespaces) {
    this.target = Objects.requireNonNull(target, "target");
    this.nodeParser = new NodeLinkParser(roles);
    this.naming = Objects.requireNonNull(naming, "naming");
    this.exclude = Objects.requireNonNull(exclude, "exclude");
    this.runner = Objects.requireNonNull(runner, "runner");
    this.namespaces = Objects.requireNonNull(namespaces, "namespaces");
  }

  /** With real processes, /var/run/netns and /proc. */
  public static HopDiscovery system(
      Target target, InterfaceRoles roles, PodNaming naming, ExcludeFilter exclude) {
    return new HopDiscovery(
        target, roles, naming, exclude, new ProcessCommandRunner(), NamespaceIndex.system());
  }

  /**
   * The node's hops now: node interfaces in {@code ip link} order, each pod right after its veth.
   */
  public List<DiscoveredHop> discover() throws InventoryException {
    NetnsTarget nodeNs = target.netns() == null ? null : NetnsTarget.named(target.netns());
    String route = run(nodeNs, "-j", "route", "show");
    try {
      // an IPv6 default route marks an uplink too
      route = InventoryParser.concatArrays(route, run(nodeNs, "-6", "-j", "route", "show"));
    } catch (InventoryException e) {
      LOG.debug("IPv6 routes not readable: {}", e.getMessage());
    }
    List<NodeLink> links =
        nodeParser.parse(
            run(nodeNs, "-d", "-j", "link", "show"),
            run(nodeNs, "-j", "addr", "show"),
            route,
            run(nodeNs, "-j", "netns", "list-id"));
    Unnamed unnamed = new Unnamed(nodeNs);
    List<DiscoveredHop> out = new ArrayList<>();
    Map<PeerRef, DiscoveredHop> known = new HashMap<>();
    for (NodeLink l : links) {
      add(
          out,
          new DiscoveredHop(new HopContext(target.node(), null, l.name(), l.role()), nodeNs, null));
      if (l.peer() != null) {
        DiscoveredHop pod = podsByVeth.get(l.peer());
        if (pod == null) {
          pod = podHop(l.peer(), unnamed).orElse(null);
        }
        if (pod != null) {
          if (pod.ip() != null) {
            known.put(l.peer(), pod);
          }
          add(out, pod);
        }
      }
    }
    podsByVeth = known;
    return out;
  }

  private void add(List<DiscoveredHop> out, DiscoveredHop h) {
    if (!exclude.excludes(h)) {
      out.add(h);
    }
  }

  private Optional<DiscoveredHop> podHop(PeerRef peer, Unnamed unnamed) {
    try {
      if (peer.nsName() != null) {
        NetnsTarget ns = NetnsTarget.named(peer.nsName());
        return PodLinkParser.find(
                run(ns, "-d", "-j", "link", "show"),
                run(ns, "-j", "addr", "show"),
                peer.peerIndex(),
                peer.vethIndex())
            .map(p -> pod(ns, p));
      }
      return unnamed.find(peer);
    } catch (InventoryException e) {
      LOG.warn(
          "pod namespace of veth #{} not readable (pod gone?): {}",
          peer.vethIndex(),
          e.getMessage());
      return Optional.empty();
    }
  }

  private DiscoveredHop pod(NetnsTarget ns, PodLink p) {
    return new DiscoveredHop(
        new HopContext(target.node(), naming.podName(ns), p.name(), InterfaceRole.POD), ns, p.ip());
  }

  /** Namespaces without a name, read once per discovery and only when needed. */
  private final class Unnamed {
    private final NetnsTarget nodeNs;
    private Map<NetnsTarget, String[]> read;

    Unnamed(NetnsTarget nodeNs) {
      this.nodeNs = nodeNs;
    }

    Optional<DiscoveredHop> find(PeerRef peer) throws InventoryException {
      if (read == null) {
        read = readAll();
      }
      List<DiscoveredHop> found = new ArrayList<>();
      for (Map.Entry<NetnsTarget, String[]> e : read.entrySet()) {
        PodLinkParser.find(e.getValue()[0], e.getValue()[1], peer.peerIndex(), peer.vethIndex())
            .ifPresent(p -> found.add(pod(e.getKey(), p)));
      }
      if (found.size() != 1) {
        LOG.warn(
            "veth #{}: its peer (nsid {}, ifindex {}) found in {} unnamed namespaces; skipped",
            peer.vethIndex(),
            peer.nsid(),
            peer.peerIndex(),
            found.size());
        return Optional.empty();
      }
      return Optional.of(found.get(0));
    }

    private Map<NetnsTarget, String[]> readAll() {
      OptionalLong own =
          NamespaceIndex.inode(
              nodeNs == null
                  ? Path.of("/proc/self/ns/net")
                  : Path.of("/var/run/netns", nodeNs.name()));
      Map<NetnsTarget, String[]> m = new HashMap<>();
      for (NamespaceIndex.Namespace ns : namespaces.scan()) {
        if (ns.target().name() != null || (own.isPresent() && own.getAsLong() == ns.inode())) {
          continue; // named ones are known by their nsid; the node's own holds no pod
        }
        try {
          m.put(
              ns.target(),
              new String[] {
                run(ns.target(), "-d", "-j", "link", "show"), run(ns.target(), "-j", "addr", "show")
              });
        } catch (InventoryException e) {
          LOG.debug("namespace {} not readable: {}", ns.target().label(), e.getMessage());
        }
      }
      return m;
    }
  }

  private String run(NetnsTarget ns, String... args) throws InventoryException {
    List<String> cmd = new ArrayList<>();
    if (ns == null) {
      cmd.add("ip");
    } else if (ns.name() != null) {
      cmd.addAll(List.of("ip", "-n", ns.name()));
    } else {
      cmd.addAll(ns.execPrefix());
      cmd.add("ip");
    }
    cmd.addAll(List.of(args));
    return runner.run(cmd, target.timeout());
  }
}
