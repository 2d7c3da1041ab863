package io.hoptrace.cli;

import io.hoptrace.capture.HopContext;
import io.hoptrace.capture.InterfaceRoles;
import io.hoptrace.capture.NetnsTarget;
import io.hoptrace.discovery.DiscoveredHop;
import io.hoptrace.schema.InterfaceRole;
import java.util.ArrayList;
import java.util.List;

/**
 * The hops a sensor is told on its command line: {@code --iface I} (the node's own interfaces) and
 * {@code --pod-iface POD=NETNS:IFACE} (an interface inside a pod's network namespace, by name or
 * {@code /path}); a malformed spec is one line naming the option.
 */
final class NamedHops {
  private NamedHops() {}

  /** The hop of a {@code --pod-iface} spec on {@code node}. */
  static HopContext podHop(String node, String spec) {
    int eq = spec.indexOf('=');
    int colon = spec.lastIndexOf(':');
    if (eq <= 0 || colon <= eq + 1 || colon == spec.length() - 1) {
      throw new IllegalArgumentException("--pod-iface wants POD=NETNS:IFACE, got '" + spec + "'");
    }
    return new HopContext(
        node, spec.substring(0, eq), spec.substring(colon + 1), InterfaceRole.POD);
  }

  /** The network namespace of a {@code --pod-iface} spec (checked by {@link #podHop} first). */
  static NetnsTarget netnsOf(String spec) {
    int eq = spec.indexOf('=');
    String ns = spec.substring(eq + 1, spec.lastIndexOf(':'));
    return ns.startsWith("/") ? NetnsTarget.path(ns) : NetnsTarget.named(ns);
  }

  /** The named hops with their namespaces (null: the node's own). */
  static List<DiscoveredHop> all(
      String node, List<String> ifaces, List<String> podIfaces, InterfaceRoles roles) {
    List<DiscoveredHop> out = new ArrayList<>();
    for (String iface : ifaces) {
      out.add(
          new DiscoveredHop(new HopContext(node, null, iface, roles.roleOf(iface)), null, null));
    }
    for (String spec : podIfaces) {
      out.add(new DiscoveredHop(podHop(node, spec), netnsOf(spec), null));
    }
    return out;
  }
}
