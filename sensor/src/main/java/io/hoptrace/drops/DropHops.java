package io.hoptrace.drops;

import io.hoptrace.capture.HopContext;
import io.hoptrace.capture.InterfaceRoles;
import io.hoptrace.capture.NetnsTarget;
import io.hoptrace.discovery.AutoCapture;
import io.hoptrace.discovery.DiscoveredHop;
import io.hoptrace.discovery.NamespaceIndex;
import io.hoptrace.inventory.InventoryException;
import io.hoptrace.schema.InterfaceRole;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * Which of this sensor's hops a kernel drop happened at: a drop's device is named by its network
 * namespace's inode and its name. A captured hop's (namespace, device) is that hop; another device
 * of the node's own namespace is the node's hop on that device ({@code node/iface}, role from its
 * name: a drop inside the node's stack, e.g. its firewall on the uplink); another device of a
 * captured pod's namespace is that pod's hop on it. Every other namespace (other nodes of a lab
 * host, unknown containers) is not this sensor's: null.
 *
 * <p>The hops come from a supplier (fixed interfaces, or {@code --auto}'s discovery); a miss looks
 * them up again at most once per {@code refreshNanos}, so pods that came after the start are found.
 * Thread-safe.
 */
public final class DropHops {

  /** A namespace of this sensor: its inode and the pod it belongs to (null: the node's). */
  private record Ns(long inode, String pod) {}

  private final String node;
  private final long nodeNetns;
  private final InterfaceRoles roles;
  private final AutoCapture.HopSource hops;
  private final LongSupplier nanoClock;
  private final long refreshNanos;
  private Map<String, HopContext> byDevice = Map.of();
  private Map<Long, String> podOf = Map.of();
  private long loadedAt;
  private boolean loaded;

  /**
   * @param node this node's name
   * @param nodeNetns the inode of the node's own network namespace
   * @param roles roles of devices that are no captured hop
   * @param hops this sensor's hops, each with its namespace (null: the node's)
   */
  public DropHops(
      String node,
      long nodeNetns,
      InterfaceRoles roles,
      AutoCapture.HopSource hops,
      LongSupplier nanoClock,
      long refreshNanos) {
    this.node = node;
    this.nodeNetns = nodeNetns;
    this.roles = roles;
    this.hops = hops;
    this.nanoClock = nanoClock;
    this.refreshNanos = refreshNanos;
  }

  /** The hop of the device {@code iface} in the namespace {@code netns}, or null: not ours. */
  public synchronized HopContext hopOf(long netns, String iface) {
    if (iface == null || iface.isEmpty() || netns == 0) {
      return null;
    }
    HopContext h = lookup(netns, iface);
    long now = nanoClock.getAsLong();
    if (h == null && (!loaded || now - loadedAt >= refreshNanos)) {
      load();
      loaded = true;
      loadedAt = now;
      h = lookup(netns, iface);
    }
    return h;
  }

  private HopContext lookup(long netns, String iface) {
    HopContext h = byDevice.get(netns + "/" + iface);
    if (h != null) {
      return h;
    }
    if (netns == nodeNetns) {
      return new HopContext(node, null, iface, roles.roleOf(iface));
    }
    String pod = podOf.get(netns);
    return pod == null ? null : new HopContext(node, pod, iface, InterfaceRole.POD);
  }

  private void load() {
    Map<String, HopContext> devices = new HashMap<>();
    Map<Long, String> pods = new HashMap<>();
    List<DiscoveredHop> found;
    try {
      found = hops.discover();
    } catch (InventoryException e) {
      return; // keep the hops known; looked up again after the refresh period
    }
    for (DiscoveredHop d : found) {
      OptionalLong ino = d.netns() == null ? OptionalLong.of(nodeNetns) : inode(d.netns());
      if (ino.isEmpty()) {
        continue; // the namespace is gone
      }
      devices.put(ino.getAsLong() + "/" + d.hop().iface(), d.hop());
      if (d.hop().pod() != null && ino.getAsLong() != nodeNetns) {
        pods.put(ino.getAsLong(), d.hop().pod());
      }
    }
    byDevice = devices;
    podOf = pods;
  }

  /** The inode of a namespace (a named one under /run/netns or /var/run/netns, or a path). */
  public static OptionalLong inode(NetnsTarget ns) {
    if (ns.path() != null) {
      return NamespaceIndex.inode(Path.of(ns.path()));
    }
    for (String dir : List.of("/run/netns", "/var/run/netns")) {
      Path p = Path.of(dir, ns.name());
      if (Files.exists(p)) {
        return NamespaceIndex.inode(p);
      }
    }
    return OptionalLong.empty();
  }

  /** The inode of this process's own network namespace. */
  public static OptionalLong ownInode() {
    return NamespaceIndex.inode(Path.of("/proc/self/ns/net"));
  }
}
