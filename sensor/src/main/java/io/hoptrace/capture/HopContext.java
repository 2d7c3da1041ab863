package io.hoptrace.capture;

import io.hoptrace.contract.HopId;
import io.hoptrace.schema.InterfaceRole;

/**
 * Where a packet was captured: the node, the interface (and the pod whose namespace holds it, if
 * any) and the interface's role on the packet path. Its id, {@code node/iface} or {@code
 * node/pod/iface} ({@link HopId}), names the hop in flows and alerts. Names are not checked for
 * {@code '/'} here (a capture file's interface names are taken as they are); see {@link HopId} for
 * the names that parse back.
 */
public record HopContext(String node, String pod, String iface, InterfaceRole role) {

  public HopContext {
    if (node == null || node.isBlank()) {
      throw new IllegalArgumentException("node must be set");
    }
    if (iface == null || iface.isBlank()) {
      throw new IllegalArgumentException("iface must be set");
    }
    if (role == null) {
      role = InterfaceRole.ANY;
    }
  }

  /** The hop id used in flows and alerts: {@code node/iface} or {@code node/pod/iface}. */
  public String id() {
    return HopId.format(node, pod, iface);
  }
}
