package io.hoptrace.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hoptrace.discovery.DiscoveredHop;
import java.io.PrintWriter;
import java.util.List;

/** The hops {@code sensor --auto --dry-run} prints. */
final class AutoHops {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AutoHops() {}

  /**
   * One JSON line per hop: {@code hop, iface, role, netns, pod, ip}; {@code netns} is left out for
   * the sensor's own namespace, {@code pod} and {@code ip} for node interfaces.
   */
  static String line(DiscoveredHop h) {
    ObjectNode o = JSON.createObjectNode();
    o.put("hop", h.id());
    o.put("iface", h.hop().iface());
    o.put("role", h.hop().role().name());
    if (h.netns() != null) {
      o.put("netns", h.netns().label());
    }
    if (h.hop().pod() != null) {
      o.put("pod", h.hop().pod());
    }
    if (h.ip() != null) {
      o.put("ip", h.ip());
    }
    return o.toString();
  }

  /** Prints the hops; exit code 0. */
  static int print(List<DiscoveredHop> hops, PrintWriter out) {
    hops.forEach(h -> out.println(line(h)));
    out.flush();
    return 0;
  }
}
